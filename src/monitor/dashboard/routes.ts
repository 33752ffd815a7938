/**
 * The dashboard's route table: each path and the small handler that answers it.
 * / (the page under a fresh CSP nonce), /events (Server-Sent Events: `state` on
 * connect, then what live-updates.ts pushes), /api/snapshot, /api/history?rangeMs=,
 * /api/jobs, /metrics (Prometheus) and /favicon.ico; anything else is 404.
 * Requests reach a route only after request-guard.ts admitted them.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { computeHints } from "../hints.js";
import type { JobsSource } from "../jobs/jobs-source.js";
import type { ProcessJobIndex } from "../jobs/process-jobs.js";
import type { Monitor } from "../monitor.js";
import { snapshotJson } from "../snapshot-json.js";
import type { ConnectionGovernor } from "./connection-governor.js";
import { clampRange, emptySnapshot, historyJson, jobsJson, stateJson } from "./dashboard-data.js";
import type { DashboardState } from "./dashboard-state.js";
import type { EventStreams } from "./event-streams.js";
import { csp, JSON_TYPE, SECURITY_HEADERS, send, TEXT } from "./http-responses.js";
import { renderMetrics } from "./metrics.js";
import type { DashboardPageAssets } from "./page/build-page.mjs";
import { renderPage } from "./page.js";

/** What the handlers read: the monitor, the jobs, the page, the open streams and the shared state. */
export interface RouteContext {
  monitor: Monitor;
  env: NodeJS.ProcessEnv;
  hostname: string;
  jobs: JobsSource;
  processJobs: ProcessJobIndex;
  assets: DashboardPageAssets;
  governor: ConnectionGovernor;
  streams: EventStreams;
  state: DashboardState;
}

type Route = (
  context: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => Promise<void> | void;

const page: Route = (context, _req, res) => {
  const nonce = randomBytes(16).toString("base64");
  send(res, 200, "text/html; charset=utf-8", renderPage(nonce, context.assets), {
    "Content-Security-Policy": csp(nonce),
  });
};

/** Opens a stream (within the governor's caps) and sends everything the page needs as `state`. */
const events: Route = async (context, req, res, url) => {
  const release = context.governor.openStream(req);
  if (!release) {
    send(res, 429, TEXT, "too many live streams: close other dashboard tabs\n", { "Retry-After": "5" });
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8" });
  context.streams.add(res, release);
  const state = await stateJson({
    monitor: context.monitor,
    env: context.env,
    hostname: context.hostname,
    rangeMs: clampRange(url.searchParams.get("rangeMs")),
    jobs: context.jobs,
    processJobs: context.processJobs,
  });
  context.state.streamOpened(state);
  res.write(`retry: 2000\nevent: state\ndata: ${JSON.stringify(state)}\n\n`);
};

const snapshot: Route = ({ monitor }, _req, res) => {
  const latest = monitor.latest() ?? emptySnapshot();
  const body = {
    time: latest.time,
    ...snapshotJson(latest),
    hints: computeHints(latest, monitor.history),
    environments: monitor.environments(),
  };
  send(res, 200, JSON_TYPE, JSON.stringify(body));
};

const history: Route = ({ monitor }, _req, res, url) => {
  const body = historyJson(monitor, clampRange(url.searchParams.get("rangeMs")));
  send(res, 200, JSON_TYPE, JSON.stringify(body));
};

const jobs: Route = async (context, _req, res) => {
  send(res, 200, JSON_TYPE, JSON.stringify(await jobsJson(context.jobs)));
};

const metrics: Route = ({ monitor, hostname }, _req, res) => {
  const latest = monitor.latest() ?? emptySnapshot();
  const body = renderMetrics(latest, hostname, computeHints(latest, monitor.history).length);
  send(res, 200, "text/plain; version=0.0.4; charset=utf-8", body);
};

const favicon: Route = (_context, _req, res) => {
  res.writeHead(204, SECURITY_HEADERS);
  res.end();
};

const ROUTES: ReadonlyMap<string, Route> = new Map([
  ["/", page],
  ["/events", events],
  ["/api/snapshot", snapshot],
  ["/api/history", history],
  ["/api/jobs", jobs],
  ["/metrics", metrics],
  ["/favicon.ico", favicon],
]);

/** Answers an admitted request from the route table (404 for a path it does not have). */
export async function routeRequest(
  context: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const route = ROUTES.get(url.pathname);
  if (route) await route(context, req, res, url);
  else send(res, 404, TEXT, "not found\n");
}
