/**
 * detectHostFacts(): the host's NVIDIA driver and GPUs. The driver comes from
 * /sys/module/nvidia/version, else /proc/driver/nvidia/version (plain reads, no
 * spawn), else nvidia-smi; GPUs come from nvidia-smi, found as `doctor` and `top`
 * find it (findNvidiaSmi: $TORCHSTACK_NVIDIA_SMI, else PATH). A host without it
 * answers at once with no GPUs, so resolve stays fast on GPU-less machines.
 * File reads, the nvidia-smi lookup and spawning are injected for tests.
 */
import { readFile } from "node:fs/promises";
import { findNvidiaSmi } from "../gpu/find-nvidia-smi.js";
import { type ProcessRunner, runProcess } from "../process/run-process.js";
import type { HostFacts, HostGpu } from "./host-facts.js";
import { parseNvidiaSmiCsv, parseProcDriverVersion, parseSysModuleVersion } from "./parse-nvidia.js";

export const SYS_DRIVER_VERSION = "/sys/module/nvidia/version";
export const PROC_DRIVER_VERSION = "/proc/driver/nvidia/version";
const QUERY = ["index", "name", "uuid", "compute_cap", "driver_version"];

export interface HostDeps {
  /** The file's text, or undefined when it is missing or unreadable. */
  readFile(path: string): Promise<string | undefined>;
  /** nvidia-smi's path ($TORCHSTACK_NVIDIA_SMI, else the first on PATH), or null when there is none. */
  findNvidiaSmi(env: NodeJS.ProcessEnv): string | null;
  runProcess: ProcessRunner;
  /** nvidia-smi can hang on a wedged driver; give up after this long. */
  timeoutMs?: number;
}

const defaultHostDeps: HostDeps = {
  readFile: (path) => readFile(path, "utf8").catch(() => undefined),
  findNvidiaSmi,
  runProcess,
};

async function querySmi(smi: string, env: NodeJS.ProcessEnv, deps: HostDeps) {
  const options = { env, timeoutMs: deps.timeoutMs ?? 5000, reject: false };
  const run = (fields: string[]) =>
    deps.runProcess(smi, [`--query-gpu=${fields.join(",")}`, "--format=csv,noheader"], options);
  try {
    const result = await run(QUERY);
    if (result.exitCode === 0) return parseNvidiaSmiCsv(result.stdout, true);
    if (!/compute_cap/.test(result.stdout + result.stderr)) return [];
    // Drivers before the compute_cap field: ask again without it.
    const older = await run(QUERY.filter((f) => f !== "compute_cap"));
    return older.exitCode === 0 ? parseNvidiaSmiCsv(older.stdout, false) : [];
  } catch {
    return [];
  }
}

export async function detectHostFacts(
  env: NodeJS.ProcessEnv,
  deps: HostDeps = defaultHostDeps,
): Promise<HostFacts> {
  let driver: string | null = null;
  let driverSource = "none";
  const sys = await deps.readFile(SYS_DRIVER_VERSION);
  if (sys !== undefined) driver = parseSysModuleVersion(sys);
  if (driver !== null) driverSource = SYS_DRIVER_VERSION;
  if (driver === null) {
    const proc = await deps.readFile(PROC_DRIVER_VERSION);
    if (proc !== undefined) driver = parseProcDriverVersion(proc);
    if (driver !== null) driverSource = PROC_DRIVER_VERSION;
  }
  const smi = deps.findNvidiaSmi(env);
  if (smi === null) return { driver, driverSource, gpus: [] };
  const rows = await querySmi(smi, env, deps);
  const gpus: HostGpu[] = rows.map((row) => row.gpu);
  const smiDriver = rows.find((row) => row.driver !== null)?.driver ?? null;
  if (driver === null && smiDriver !== null) {
    driver = smiDriver;
    driverSource = "nvidia-smi";
  }
  return { driver, driverSource, gpus };
}
