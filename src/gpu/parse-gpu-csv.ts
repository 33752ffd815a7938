/**
 * Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` rows into
 * GpuReadings. Pure. Values nvidia-smi cannot give ("[N/A]", "[Not Supported]",
 * older drivers' bare "N/A", "[Unknown Error]") become null. Lines that do not have
 * one value per field (a stray message, a truncated line) are skipped, not guessed.
 */
import type { GpuReading } from "./gpu-sample.js";
import type { FieldSet, GpuField } from "./query-fields.js";
import { decodeThrottleReasons } from "./throttle-reasons.js";

const MISSING = /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU requires reset)\]?$/i;

/**
 * A field's text, or null where nvidia-smi reports no value: the known missing
 * words, bare or bracketed, and any other bracketed message (`[GPU is lost]`).
 * The one rule for every nvidia-smi CSV reader (the sampler and host detection).
 */
export function cellText(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const value = raw.trim();
  if (value === "" || MISSING.test(value) || /^\[.*\]$/.test(value)) return null;
  return value;
}

/** A numeric field (units stripped if `nounits` was not used), or null. */
export function cellNumber(raw: string | undefined): number | null {
  const text = cellText(raw);
  if (text === null) return null;
  const match = /^-?\d+(\.\d+)?/.exec(text);
  if (!match) return null;
  const value = Number(match[0]);
  return Number.isFinite(value) ? value : null;
}

/** Splits one CSV row as nvidia-smi writes it: values separated by ", ". */
export function splitCsvRow(line: string): string[] {
  return line.split(",").map((cell) => cell.trim());
}

/** One row → reading, or undefined where the row does not fit the field set. */
export function parseGpuRow(line: string, fields: FieldSet): GpuReading | undefined {
  const cells = splitCsvRow(line);
  if (cells.length !== fields.slots.length) return undefined;
  const byKey = new Map<GpuField, string | undefined>();
  fields.slots.forEach((slot, i) => {
    byKey.set(slot.key, cells[i]);
  });
  const index = cellNumber(byKey.get("index"));
  const uuid = cellText(byKey.get("uuid"));
  if (index === null || uuid === null) return undefined;
  return {
    index,
    name: cellText(byKey.get("name")) ?? "unknown GPU",
    uuid,
    utilization: cellNumber(byKey.get("utilization")),
    memoryUtilization: cellNumber(byKey.get("memoryUtilization")),
    memoryUsedMiB: cellNumber(byKey.get("memoryUsedMiB")),
    memoryTotalMiB: cellNumber(byKey.get("memoryTotalMiB")),
    powerW: cellNumber(byKey.get("powerW")),
    powerLimitW: cellNumber(byKey.get("powerLimitW")),
    temperatureC: cellNumber(byKey.get("temperatureC")),
    smClockMHz: cellNumber(byKey.get("smClockMHz")),
    memClockMHz: cellNumber(byKey.get("memClockMHz")),
    pstate: cellText(byKey.get("pstate")),
    throttleReasons: decodeThrottleReasons(cellText(byKey.get("throttleMask"))),
    migMode: cellText(byKey.get("migMode")),
    migDevices: [],
  };
}

/** All rows of a `--query-gpu` output; blank and unfit lines are skipped. */
export function parseGpuCsv(text: string, fields: FieldSet): GpuReading[] {
  return text.split(/\r?\n/).flatMap((line) => {
    if (line.trim() === "") return [];
    const reading = parseGpuRow(line, fields);
    return reading ? [reading] : [];
  });
}
