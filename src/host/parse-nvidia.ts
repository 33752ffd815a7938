/**
 * Pure parsers for what the NVIDIA driver exposes: /sys/module/nvidia/version
 * ("570.86.15"), /proc/driver/nvidia/version (proprietary and open kernel module
 * wordings) and `nvidia-smi --query-gpu=index,name,uuid,compute_cap,driver_version
 * --format=csv,noheader` rows (cells read by the sampler's one CSV reader,
 * src/gpu/parse-gpu-csv.ts, so "N/A" means the same everywhere).
 */
import { cellText, splitCsvRow } from "../gpu/parse-gpu-csv.js";
import type { HostGpu } from "./host-facts.js";

const DRIVER_VERSION = /^\d{2,4}\.\d{1,3}(?:\.\d{1,3})?$/;

/** "570.86.15\n" → "570.86.15"; null for anything that is not a driver version. */
export function parseSysModuleVersion(text: string): string | null {
  const trimmed = text.trim();
  return DRIVER_VERSION.test(trimmed) ? trimmed : null;
}

/**
 * "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Thu Jan 23 …" or
 * "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release Build …" → "570.86.15".
 */
export function parseProcDriverVersion(text: string): string | null {
  const line = text.split("\n").find((l) => l.startsWith("NVRM version:"));
  if (!line) return null;
  const match = /Kernel Module(?:\s+for\s+\S+)?\s+(\d{2,4}\.\d{1,3}(?:\.\d{1,3})?)\b/.exec(line);
  return match?.[1] ?? null;
}

export interface SmiRow {
  gpu: HostGpu;
  driver: string | null;
}

/**
 * Rows of `--query-gpu=index,name,uuid,compute_cap,driver_version --format=csv,noheader`
 * (or, for drivers older than the compute_cap field, `index,name,uuid,driver_version`).
 */
export function parseNvidiaSmiCsv(text: string, withComputeCap = true): SmiRow[] {
  const rows: SmiRow[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const parts = splitCsvRow(line);
    const expected = withComputeCap ? 5 : 4;
    if (parts.length < expected) continue;
    const index = Number(parts[0]);
    const name = cellText(parts[1]);
    if (!Number.isInteger(index) || name === null) continue;
    const cc = withComputeCap ? cellText(parts[3]) : null;
    const driver = cellText(parts[expected - 1]);
    rows.push({
      gpu: {
        index,
        name,
        uuid: cellText(parts[2]),
        computeCapability: cc !== null && /^\d{1,2}\.\d$/.test(cc) ? cc : null,
      },
      driver: driver !== null && DRIVER_VERSION.test(driver) ? driver : null,
    });
  }
  return rows;
}
