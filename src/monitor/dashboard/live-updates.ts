/**
 * The dashboard's pushes while a page is open: a `tick` per monitor sample, a
 * `jobs` event when a periodic re-read of the jobs finds them changed (the same
 * re-read picks up the latest doctor result), and a keep-alive comment every
 * 15 s. Nothing is computed while no stream is open. Returns what stops all three.
 */
import type { JobsSource } from "../jobs/jobs-source.js";
import type { ProcessJobIndex } from "../jobs/process-jobs.js";
import type { Monitor } from "../monitor.js";
import { jobsJson, tickJson } from "./dashboard-data.js";
import type { DashboardState } from "./dashboard-state.js";
import type { EventStreams } from "./event-streams.js";
import { readLatestDoctor } from "./latest-results.js";

export interface LiveUpdateSources {
  monitor: Monitor;
  env: NodeJS.ProcessEnv;
  jobs: JobsSource;
  processJobs: ProcessJobIndex;
  streams: EventStreams;
  state: DashboardState;
  /** How often jobs and the latest doctor result are re-read. */
  refreshMs: number;
}

const HEARTBEAT_MS = 15_000;

/** Sends a `tick` for every sample while a stream is open. */
function pushTicks(sources: LiveUpdateSources): () => void {
  const { monitor, streams, state, processJobs } = sources;
  return monitor.subscribe((snapshot) => {
    if (streams.size === 0) return; // no open page: skip the hints and JSON on this tick
    tickJson(monitor, snapshot, state.tickContext(processJobs))
      .then((tick) => streams.broadcast("tick", tick))
      .catch(() => {});
  });
}

/** Re-reads the jobs and the doctor result every `refreshMs`, and sends `jobs` when they changed. */
function refreshJobs(sources: LiveUpdateSources): NodeJS.Timeout {
  const { streams, state } = sources;
  return setInterval(() => {
    if (streams.size === 0) return;
    Promise.all([jobsJson(sources.jobs), readLatestDoctor(sources.env)])
      .then(([payload, doctor]) => {
        if (state.refreshed(payload, doctor)) streams.broadcast("jobs", payload);
      })
      .catch(() => {});
  }, sources.refreshMs);
}

export function startLiveUpdates(sources: LiveUpdateSources): () => void {
  const unsubscribe = pushTicks(sources);
  const refresh = refreshJobs(sources);
  const heartbeat = setInterval(() => sources.streams.heartbeat(), HEARTBEAT_MS);
  return () => {
    unsubscribe();
    clearInterval(refresh);
    clearInterval(heartbeat);
  };
}
