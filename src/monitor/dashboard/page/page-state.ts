/**
 * What the page holds between events: the latest snapshot and hints, the
 * history series of the chosen range, which GPUs are opened, and the slower
 * data (jobs, results, environments). Ticks append to the series at the range's
 * own step (1 s for 10 min, 10 s for 6 h, 60 s for 24 h), so the number of
 * points stays what the server sent however long the page stays open.
 */
import type {
  BenchView,
  DoctorView,
  EnvironmentView,
  HintView,
  HistoryView,
  JobsPayload,
  SnapshotView,
} from "../dashboard-payload.js";
import type { Series } from "./charts.js";

export const RANGES: readonly { label: string; ms: number; stepMs: number; hash: string }[] = [
  { label: "10 min", ms: 600_000, stepMs: 1_000, hash: "10m" },
  { label: "6 h", ms: 21_600_000, stepMs: 10_000, hash: "6h" },
  { label: "24 h", ms: 86_400_000, stepMs: 60_000, hash: "24h" },
];

export const SERIES_METRICS = ["utilization", "memoryUsedMiB", "powerW", "temperatureC"] as const;

export interface PageState {
  hostname: string;
  snapshot: SnapshotView | null;
  hints: HintView[];
  series: Record<string, Series>;
  rangeMs: number;
  opened: Set<string>;
  jobs: JobsPayload;
  doctor: DoctorView | null;
  bench: BenchView | null;
  environments: EnvironmentView[];
}

export function newPageState(rangeMs: number): PageState {
  return {
    hostname: "",
    snapshot: null,
    hints: [],
    series: {},
    rangeMs,
    opened: new Set(),
    jobs: { jobs: [], source: "" },
    doctor: null,
    bench: null,
    environments: [],
  };
}

export function rangeFromHash(hash: string): number {
  const wanted = /range=(\w+)/.exec(hash)?.[1];
  return RANGES.find((r) => r.hash === wanted)?.ms ?? 600_000;
}

export function setHistory(state: PageState, history: HistoryView): void {
  state.rangeMs = history.rangeMs;
  state.series = history.series as Record<string, Series>;
}

/** Adds one tick to every GPU's series and drops points older than the range. */
export function appendTick(state: PageState, snapshot: SnapshotView): void {
  const stepMs = RANGES.find((r) => r.ms === state.rangeMs)?.stepMs ?? 1_000;
  const cutoff = snapshot.time - state.rangeMs;
  for (const gpu of snapshot.gpus) {
    const s: Series = state.series[gpu.uuid] ?? {};
    state.series[gpu.uuid] = s;
    const times = s.times ?? [];
    s.times = times;
    const columns = SERIES_METRICS.map((m) => {
      const column = s[m] ?? [];
      s[m] = column;
      return column;
    });
    const bucket = Math.floor(snapshot.time / stepMs) * stepMs;
    const last = times[times.length - 1];
    const replace = last !== undefined && last !== null && last >= bucket;
    if (!replace) times.push(bucket);
    SERIES_METRICS.forEach((m, i) => {
      // the same bucket as the last point: the newest reading replaces it
      const column = columns[i] ?? [];
      if (replace) column[times.length - 1] = gpu[m];
      else column.push(gpu[m]);
    });
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) < cutoff) drop += 1;
    if (drop > 0) for (const key of Object.keys(s)) s[key]?.splice(0, drop);
  }
}
