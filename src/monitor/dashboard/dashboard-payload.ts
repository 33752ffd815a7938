/**
 * The JSON shapes the dashboard server sends and the page reads: the `state`
 * event on connect, `tick` per sample, `jobs` when the job list changes, and
 * /api/history. Types only, shared by the server (src/monitor/dashboard/) and
 * the browser module (page/), so the two cannot drift apart silently.
 */
import type { JobSummary } from "../jobs/job-summary.js";

export interface MigDeviceView {
  index: number;
  profile: string;
  uuid: string;
}

export interface GpuView {
  index: number;
  name: string;
  uuid: string;
  utilization: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  powerW: number | null;
  powerLimitW: number | null;
  temperatureC: number | null;
  memoryUtilization: number | null;
  smClockMHz: number | null;
  memClockMHz: number | null;
  pstate: string | null;
  throttleReasons: string[];
  migMode: string | null;
  migDevices: MigDeviceView[];
}

export interface ProcessView {
  pid: number;
  gpuUuid: string;
  usedMemoryMiB: number | null;
  name: string;
  environment: string | null;
  /** The torchstack job and rank the process runs for, when it is one. */
  job: string | null;
  rank: number | null;
}

export interface SnapshotView {
  time: number;
  gpus: GpuView[];
  processes: ProcessView[];
  message?: string;
}

export interface HintView {
  /** null for a host-wide hint (e.g. /dev/shm). */
  gpuIndex: number | null;
  severity: "info" | "warn";
  message: string;
}

/** Series per GPU UUID: `times` plus one array per history metric. */
export interface HistoryView {
  rangeMs: number;
  series: Record<string, Record<string, (number | null)[]>>;
}

export interface BenchBar {
  label: string;
  value: number;
  unit: string;
  /** The datasheet peak in the same unit, when the catalog knows the GPU. */
  peak: number | null;
  fraction: number | null;
}

export interface BenchView {
  time: string | null;
  gpu: string | null;
  bars: BenchBar[];
}

export interface DoctorFindingView {
  code: string;
  severity: string;
  message: string;
  fix: string[];
}

export interface DoctorView {
  time: string | null;
  findings: DoctorFindingView[];
}

export interface EnvironmentView {
  name: string;
  state: string;
  image: string;
  gpus: string;
  urls: Record<string, string>;
  ssh: string | null;
}

export interface TickPayload {
  snapshot: SnapshotView;
  hints: HintView[];
}

export interface JobsPayload {
  jobs: JobSummary[];
  /** Where the jobs come from, in words ("job records in …", "none"). */
  source: string;
}

export interface StatePayload extends TickPayload, JobsPayload {
  hostname: string;
  history: HistoryView;
  environments: EnvironmentView[];
  doctor: DoctorView | null;
  bench: BenchView | null;
}
