/**
 * The JSON the dashboard sends: `tick` (one sample with its hints), `history`
 * (series per GPU for a range, from the finest tier that covers it) and `state`
 * (everything the page needs on connect: tick, 10 min of history, environments,
 * latest doctor and bench results).
 */
import type { GpuSnapshot } from "../../gpu/gpu-sample.js";
import { computeHints } from "../hints.js";
import { HISTORY_METRICS } from "../history.js";
import type { Monitor } from "../monitor.js";
import { snapshotJson } from "../snapshot-json.js";
import { readLatestResult } from "./latest-results.js";

export function emptySnapshot(): GpuSnapshot {
  return { time: Date.now(), gpus: [], processes: [], message: "waiting for the first sample" };
}

export function historyJson(monitor: Monitor, rangeMs: number) {
  const now = monitor.latest()?.time ?? Date.now();
  const series: Record<string, Record<string, (number | null)[]>> = {};
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

export function tickJson(monitor: Monitor, snapshot: GpuSnapshot) {
  return {
    snapshot: { time: snapshot.time, ...snapshotJson(snapshot) },
    hints: computeHints(snapshot, monitor.history),
  };
}

export async function stateJson(monitor: Monitor, env: NodeJS.ProcessEnv, hostname: string) {
  const snapshot = monitor.latest() ?? emptySnapshot();
  return {
    ...tickJson(monitor, snapshot),
    hostname,
    history: historyJson(monitor, 600_000),
    environments: monitor.environments(),
    doctor: await readLatestResult(env, "doctor"),
    bench: await readLatestResult(env, "bench"),
  };
}
