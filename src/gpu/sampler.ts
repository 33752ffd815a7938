/**
 * The GPU sampler: ONE long-lived `nvidia-smi --query-gpu=… --format=csv,noheader,nounits
 * -lms N` whose stdout is parsed line by line into ticks, plus `--query-compute-apps`
 * polled less often. The field set is settled first by probeGpus (with fallbacks for
 * older drivers); a stream that dies is restarted after a pause. Without nvidia-smi or
 * a driver the sampler reports NO_DRIVER_MESSAGE and never invents readings.
 * Tests drive it with a real child process that replays fixtures (fake-nvidia-smi.cjs).
 */
import { runProcess } from "../process/run-process.js";
import { type StartedProcess, startProcess } from "../process/start-process.js";
import { findNvidiaSmi } from "./find-nvidia-smi.js";
import { type GpuProcess, type GpuSnapshot, NO_DRIVER_MESSAGE } from "./gpu-sample.js";
import {
  CSV_FORMAT,
  type GpuProbe,
  type NvidiaSmi,
  probeGpus,
  readComputeApps,
  withMigDevices,
} from "./probe-gpus.js";
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

type DriverProbe = Extract<GpuProbe, { driver: true }>;

/** nvidia-smi with its settled field set, or undefined without the binary or a driver. */
async function openNvidiaSmi(
  env: NodeJS.ProcessEnv,
): Promise<{ smi: NvidiaSmi; probe: DriverProbe } | undefined> {
  const binary = findNvidiaSmi(env);
  if (!binary) return undefined;
  const smi: NvidiaSmi = { binary, run: runProcess, env };
  const probe = await probeGpus(smi);
  return probe.driver ? { smi, probe } : undefined;
}

const noDriverSnapshot = (time: number): GpuSnapshot => ({
  time,
  gpus: [],
  processes: [],
  message: NO_DRIVER_MESSAGE,
});

export function createNvidiaSmiSampler(options: SamplerOptions): GpuSampler {
  const now = options.now ?? Date.now;
  const listeners = new Set<(s: GpuSnapshot) => void>();
  let latest: GpuSnapshot | undefined;
  let processes: GpuProcess[] = [];
  let child: StartedProcess | undefined;
  let stopped = false;
  let appsTimer: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const publish = (snapshot: GpuSnapshot): GpuSnapshot => {
    latest = snapshot;
    for (const listener of listeners) listener(snapshot);
    return snapshot;
  };

  const pollApps = async (smi: NvidiaSmi): Promise<void> => {
    const raw = await readComputeApps(smi);
    if (raw === undefined) return; // keep the last good list rather than showing an idle GPU
    processes = options.mapProcesses ? await options.mapProcesses(raw) : raw;
  };

  const startStream = (smi: NvidiaSmi, fields: FieldSet, list: DriverProbe["list"]) => {
    if (stopped) return;
    const args = [`--query-gpu=${queryArgument(fields)}`, CSV_FORMAT, "-lms", String(options.intervalMs)];
    let retryWith: FieldSet | undefined;
    const assembler = new TickAssembler(fields, list.length, (rows) => {
      publish({ time: now(), gpus: withMigDevices(rows, list), processes });
    });
    const onMessage = (text: string) => {
      const invalid = invalidFieldIn(text);
      if (invalid && !retryWith) {
        retryWith = fallbackFieldSet(fields, invalid);
        proc.kill();
      }
    };
    // the caller's process group (as before): nvidia-smi goes when the dashboard or `top` goes
    const proc = startProcess(smi.binary, args, {
      env: smi.env,
      detached: false,
      onStdout: (chunk) => {
        for (const line of assembler.push(chunk)) onMessage(line);
      },
      onStderr: onMessage,
    });
    child = proc;
    const restart = () => {
      assembler.flush();
      if (stopped || child !== proc) return;
      const next = retryWith ?? fields;
      restartTimer = setTimeout(() => startStream(smi, next, list), retryWith ? 0 : 2000);
    };
    proc.exited.then(restart, restart);
  };

  return {
    async start() {
      const opened = await openNvidiaSmi(options.env);
      if (!opened) return publish(noDriverSnapshot(now()));
      const { smi, probe } = opened;
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
      child?.kill();
      listeners.clear();
    },
  };
}

/** One snapshot without a stream, for `top --once`. */
export async function readGpuSnapshotOnce(options: Omit<SamplerOptions, "intervalMs">): Promise<GpuSnapshot> {
  const now = options.now ?? Date.now;
  const opened = await openNvidiaSmi(options.env);
  if (!opened) return noDriverSnapshot(now());
  const { smi, probe } = opened;
  const raw = (await readComputeApps(smi)) ?? [];
  const processes = options.mapProcesses ? await options.mapProcesses(raw) : raw;
  return { time: now(), gpus: probe.readings, processes };
}
