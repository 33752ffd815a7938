/**
 * The JSON the dashboard sends (shapes in dashboard-payload.ts): `tick` (one
 * sample with its hints, processes annotated with their job and rank),
 * `history` (series per GPU for a range, from the finest tier that covers it),
 * `jobs`, and `state` (everything the page needs on connect). Host-wide hints
 * from the latest doctor run (a /dev/shm too small) join the GPU hints.
 */
import type { GpuSnapshot } from "../../gpu/gpu-sample.js";
import { computeHints } from "../hints.js";
import { HISTORY_METRICS } from "../history.js";
import type { JobSummary } from "../jobs/job-summary.js";
import type { JobsSource } from "../jobs/jobs-source.js";
import { matchJob, type ProcessJobIndex } from "../jobs/process-jobs.js";
import type { Monitor } from "../monitor.js";
import { gpuJson } from "../snapshot-json.js";
import type {
  DoctorView,
  EnvironmentView,
  GpuView,
  HintView,
  HistoryView,
  JobsPayload,
  StatePayload,
  TickPayload,
} from "./dashboard-payload.js";
import { readLatestBench, readLatestDoctor } from "./latest-results.js";

export const DEFAULT_RANGE_MS = 600_000;
export const MAX_RANGE_MS = 86_400_000;

export function emptySnapshot(): GpuSnapshot {
  return { time: Date.now(), gpus: [], processes: [], message: "waiting for the first sample" };
}

/** A range from a query value: 1 min … 24 h, 10 min when absent or not a number. */
export function clampRange(value: string | null): number {
  const n = Number(value);
  return Math.min(MAX_RANGE_MS, Math.max(60_000, Number.isFinite(n) && n > 0 ? n : DEFAULT_RANGE_MS));
}

export function historyJson(monitor: Monitor, rangeMs: number): HistoryView {
  const now = monitor.latest()?.time ?? Date.now();
  const series: HistoryView["series"] = {};
  for (const gpu of monitor.latest()?.gpus ?? []) {
    const entry: Record<string, (number | null)[]> = {};
    for (const metric of HISTORY_METRICS) {
      const s = monitor.history.series(gpu.uuid, metric, rangeMs, now);
      entry.times = s.times;
      entry[metric] = s.values.map((v) => (v === null ? null : Math.round(v * 10) / 10));
    }
    series[gpu.uuid] = entry;
  }
  return { rangeMs, series };
}

/** Host-wide hints from the latest doctor findings. */
export function doctorHints(doctor: DoctorView | null): HintView[] {
  return (doctor?.findings ?? [])
    .filter((f) => f.code === "E_SHM_SMALL")
    .map((f) => ({
      gpuIndex: null,
      severity: "warn",
      message: `${f.message}${f.fix[0] ? ` Fix: ${f.fix[0]}` : ""}`,
    }));
}

/** What a tick is read against besides the sample: the latest doctor result and the known jobs. */
export interface TickContext {
  processJobs: ProcessJobIndex;
  doctor: DoctorView | null;
  jobs: readonly JobSummary[];
}

export async function tickJson(
  monitor: Monitor,
  snapshot: GpuSnapshot,
  context: TickContext,
): Promise<TickPayload> {
  const byPid = await context.processJobs.lookup(snapshot.processes.map((p) => p.pid));
  const gpus: GpuView[] = snapshot.gpus.map(gpuJson);
  const processes = snapshot.processes.map((p) => {
    const found = byPid.get(p.pid) ?? null;
    const job = found ? matchJob(found, context.jobs) : null;
    return {
      pid: p.pid,
      gpuUuid: p.gpuUuid,
      usedMemoryMiB: p.usedMemoryMiB,
      name: p.name,
      environment: p.environment,
      job,
      rank: job ? (found?.rank ?? null) : null,
    };
  });
  return {
    snapshot: {
      time: snapshot.time,
      gpus,
      processes,
      ...(snapshot.message === undefined ? {} : { message: snapshot.message }),
    },
    hints: [...doctorHints(context.doctor), ...computeHints(snapshot, monitor.history)],
  };
}

export async function jobsJson(source: JobsSource): Promise<JobsPayload> {
  return { jobs: await source.list().catch(() => []), source: source.description };
}

export interface StateInputs {
  monitor: Monitor;
  env: NodeJS.ProcessEnv;
  hostname: string;
  rangeMs: number;
  jobs: JobsSource;
  processJobs: ProcessJobIndex;
}

export async function stateJson(inputs: StateInputs): Promise<StatePayload> {
  const { monitor } = inputs;
  const snapshot = monitor.latest() ?? emptySnapshot();
  const [doctor, bench, jobs] = await Promise.all([
    readLatestDoctor(inputs.env),
    readLatestBench(inputs.env),
    jobsJson(inputs.jobs),
  ]);
  const environments: EnvironmentView[] = monitor.environments().map((e) => ({
    name: e.name,
    state: e.state,
    image: e.image,
    gpus: e.gpus,
    urls: e.urls,
    ssh: e.ssh,
  }));
  return {
    ...(await tickJson(monitor, snapshot, { processJobs: inputs.processJobs, doctor, jobs: jobs.jobs })),
    ...jobs,
    hostname: inputs.hostname,
    history: historyJson(monitor, inputs.rangeMs),
    environments,
    doctor,
    bench,
  };
}
