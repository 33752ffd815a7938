/**
 * The GPU sampler: ONE long-lived `nvidia-smi --query-gpu=… --format=csv,noheader,nounits
 * -lms N` whose stdout is parsed line by line into ticks, plus `--query-compute-apps`
 * polled less often. The field set is settled first by probeGpus (with fallbacks for
 * older drivers); a stream that dies is restarted after a pause. Without nvidia-smi or
 * a driver the sampler reports NO_DRIVER_MESSAGE and never invents readings.
 * Tests drive it with a real child process that replays fixtures (fake-nvidia-smi.cjs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { runProcess } from "../process/run-process.js";
import { findNvidiaSmi } from "./find-nvidia-smi.js";
import { type GpuProcess, type GpuSnapshot, NO_DRIVER_MESSAGE } from "./gpu-sample.js";
import { CSV_FORMAT, type NvidiaSmi, probeGpus, readComputeApps, withMigDevices } from "./probe-gpus.js";
import { type FieldSet, fallbackFieldSet, invalidFieldIn, queryArgument } from "./query-fields.js";
import { TickAssembler } from "./tick-assembler.js";

export interface GpuSampler {
  /** Starts sampling; resolves with the first snapshot (or the no-driver one). */
  start(): Promise<GpuSnapshot>;
  latest(): GpuSnapshot | undefined;
  subscribe(listener: (snapshot: GpuSnapshot) => void): () => void;
  stop(): void;
}

export interface SamplerOptions {
  env: NodeJS.ProcessEnv;
  intervalMs: number;
  /** How often compute processes are read (default 5 × intervalMs, at least 2 s). */
  appsIntervalMs?: number;
  /** Adds the environment name to each process (default: unchanged). */
  mapProcesses?: (processes: GpuProcess[]) => Promise<GpuProcess[]>;
  now?: () => number;
}

export function createNvidiaSmiSampler(options: SamplerOptions): GpuSampler {
  const now = options.now ?? Date.now;
  const binary = findNvidiaSmi(options.env);
  const listeners = new Set<(s: GpuSnapshot) => void>();
  let latest: GpuSnapshot | undefined;
  let processes: GpuProcess[] = [];
  let child: ChildProcess | undefined;
  let stopped = false;
  let appsTimer: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const publish = (snapshot: GpuSnapshot): GpuSnapshot => {
    latest = snapshot;
    for (const listener of listeners) listener(snapshot);
    return snapshot;
  };
  const noDriver = () => publish({ time: now(), gpus: [], processes: [], message: NO_DRIVER_MESSAGE });

  const pollApps = async (smi: NvidiaSmi): Promise<void> => {
    const raw = await readComputeApps(smi);
    if (raw === undefined) return; // keep the last good list rather than showing an idle GPU
    processes = options.mapProcesses ? await options.mapProcesses(raw) : raw;
  };

  const startStream = (smi: NvidiaSmi, fields: FieldSet, list: Parameters<typeof withMigDevices>[1]) => {
    if (stopped) return;
    const args = [`--query-gpu=${queryArgument(fields)}`, CSV_FORMAT, "-lms", String(options.intervalMs)];
    const proc = spawn(smi.binary, args, { env: smi.env, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let retryWith: FieldSet | undefined;
    const assembler = new TickAssembler(fields, list.length, (rows) => {
      publish({ time: now(), gpus: withMigDevices(rows, list), processes });
    });
    const onMessage = (text: string) => {
      const invalid = invalidFieldIn(text);
      if (invalid && !retryWith) {
        retryWith = fallbackFieldSet(fields, invalid);
        proc.kill("SIGTERM");
      }
    };
    proc.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of assembler.push(chunk)) onMessage(line);
    });
    proc.stderr?.setEncoding("utf8").on("data", onMessage);
    proc.on("error", () => {});
    proc.on("close", () => {
      assembler.flush();
      if (stopped || child !== proc) return;
      const next = retryWith ?? fields;
      restartTimer = setTimeout(() => startStream(smi, next, list), retryWith ? 0 : 2000);
    });
  };

  return {
    async start() {
      if (!binary) return noDriver();
      const smi: NvidiaSmi = { binary, run: runProcess, env: options.env };
      const probe = await probeGpus(smi);
      if (!probe.driver) return noDriver();
      await pollApps(smi);
      const first = publish({ time: now(), gpus: probe.readings, processes });
      const appsEvery = options.appsIntervalMs ?? Math.max(2000, options.intervalMs * 5);
      appsTimer = setInterval(() => {
        pollApps(smi).catch(() => {});
      }, appsEvery);
      startStream(smi, probe.fields, probe.list);
      return first;
    },
    latest: () => latest,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (appsTimer) clearInterval(appsTimer);
      if (restartTimer) clearTimeout(restartTimer);
      child?.kill("SIGTERM");
      listeners.clear();
    },
  };
}

/** One snapshot without a stream, for `top --once`. */
export async function readGpuSnapshotOnce(options: Omit<SamplerOptions, "intervalMs">): Promise<GpuSnapshot> {
  const now = options.now ?? Date.now;
  const binary = findNvidiaSmi(options.env);
  if (!binary) return { time: now(), gpus: [], processes: [], message: NO_DRIVER_MESSAGE };
  const smi: NvidiaSmi = { binary, run: runProcess, env: options.env };
  const probe = await probeGpus(smi);
  if (!probe.driver) return { time: now(), gpus: [], processes: [], message: NO_DRIVER_MESSAGE };
  const raw = (await readComputeApps(smi)) ?? [];
  const processes = options.mapProcesses ? await options.mapProcesses(raw) : raw;
  return { time: now(), gpus: probe.readings, processes };
}
