/**
 * One-shot nvidia-smi calls: `-L` for the GPU and MIG list, a single `--query-gpu`
 * read that settles the field set (walking the fallbacks in query-fields.ts when
 * the driver rejects a name), and `--query-compute-apps`. A missing binary or a
 * driver nvidia-smi cannot talk to gives `{ driver: false }`, never invented data.
 */
import type { ProcessRunner } from "../process/run-process.js";
import type { GpuListEntry, GpuProcess, GpuReading } from "./gpu-sample.js";
import { parseComputeApps } from "./parse-compute-apps.js";
import { parseGpuCsv } from "./parse-gpu-csv.js";
import { parseMigList } from "./parse-mig-list.js";
import {
  COMPUTE_APPS_FIELDS,
  type FieldSet,
  fallbackFieldSet,
  initialFieldSet,
  invalidFieldIn,
  queryArgument,
} from "./query-fields.js";

export interface NvidiaSmi {
  binary: string;
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export type GpuProbe =
  | { driver: false; reason: string }
  | { driver: true; list: GpuListEntry[]; fields: FieldSet; readings: GpuReading[] };

export const CSV_FORMAT = "--format=csv,noheader,nounits";

async function call(smi: NvidiaSmi, args: string[]) {
  try {
    const result = await smi.run(smi.binary, args, {
      env: smi.env,
      timeoutMs: smi.timeoutMs ?? 15_000,
      reject: false,
    });
    return { ok: result.exitCode === 0, output: `${result.stdout}\n${result.stderr}`, stdout: result.stdout };
  } catch (error) {
    return { ok: false, output: error instanceof Error ? error.message : String(error), stdout: "" };
  }
}

/** Attaches `-L`'s MIG devices to the readings by GPU UUID. */
export function withMigDevices(readings: GpuReading[], list: readonly GpuListEntry[]): GpuReading[] {
  return readings.map((r) => ({ ...r, migDevices: list.find((g) => g.uuid === r.uuid)?.migDevices ?? [] }));
}

export async function probeGpus(smi: NvidiaSmi, start: FieldSet = initialFieldSet()): Promise<GpuProbe> {
  const listed = await call(smi, ["-L"]);
  if (!listed.ok) return { driver: false, reason: listed.output.trim().split("\n")[0] ?? "" };
  const list = parseMigList(listed.stdout);
  let fields: FieldSet | undefined = start;
  while (fields) {
    const read = await call(smi, [`--query-gpu=${queryArgument(fields)}`, CSV_FORMAT]);
    const invalid = invalidFieldIn(read.output);
    if (invalid) {
      fields = fallbackFieldSet(fields, invalid);
      continue;
    }
    if (!read.ok) return { driver: false, reason: read.output.trim().split("\n")[0] ?? "" };
    return { driver: true, list, fields, readings: withMigDevices(parseGpuCsv(read.stdout, fields), list) };
  }
  return { driver: false, reason: "nvidia-smi rejected every field set torchstack knows" };
}

/** Compute processes, or undefined when the query failed (a failure must not look like an idle GPU). */
export async function readComputeApps(smi: NvidiaSmi): Promise<GpuProcess[] | undefined> {
  const read = await call(smi, [`--query-compute-apps=${COMPUTE_APPS_FIELDS.join(",")}`, CSV_FORMAT]);
  return read.ok ? parseComputeApps(read.stdout) : undefined;
}
