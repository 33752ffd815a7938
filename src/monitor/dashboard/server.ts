/**
 * `startDashboard`: the dashboard's HTTP server (node:http), bound to a loopback
 * address only. It puts the parts together: the route table (routes.ts), the
 * checks every request passes first (request-guard.ts: token and loopback Host),
 * the live updates over Server-Sent Events (live-updates.ts) with the state they
 * share (dashboard-state.ts), and the connection, stream, timeout and size
 * limits (bounded-http-server.ts, connection-governor.ts, dashboard-limits.ts).
 * Responses carry a CSP, nosniff, no-referrer and no-store, and no CORS headers.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname as osHostname } from "node:os";
import { type JobsSource, noJobsSource } from "../jobs/jobs-source.js";
import { type EnvironReader, ProcessJobIndex } from "../jobs/process-jobs.js";
import type { Monitor } from "../monitor.js";
import { DashboardAccess } from "./auth.js";
import { boundedHttpServer } from "./bounded-http-server.js";
import { ConnectionGovernor, type GovernorCounts } from "./connection-governor.js";
import { type DashboardLimits, DEFAULT_LIMITS } from "./dashboard-limits.js";
import { DashboardState } from "./dashboard-state.js";
import { EventStreams } from "./event-streams.js";
import { readLatestDoctor } from "./latest-results.js";
import { startLiveUpdates } from "./live-updates.js";
import { loadPageAssets } from "./page-assets.js";
import { admitRequest } from "./request-guard.js";
import { type RouteContext, routeRequest } from "./routes.js";

export interface DashboardOptions {
  monitor: Monitor;
  env: NodeJS.ProcessEnv;
  host: string;
  port: number;
  token: string;
  hostname?: string;
  limits?: Partial<DashboardLimits>;
  /** Where the jobs panel reads jobs (default: none). */
  jobs?: JobsSource;
  /** For tests: how a process's environment is read (default /proc/PID/environ). */
  readEnviron?: EnvironReader;
  /** How often jobs and the latest doctor result are re-read while a page is open (default 5 s). */
  refreshMs?: number;
}

export interface Dashboard {
  url: string;
  /** A URL that opens the page once within a minute, without the token (what a browser is started with). */
  oneTimeUrl(): string;
  port: number;
  server: Server;
  counts(): GovernorCounts & { dropped: number };
  close(): Promise<void>;
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { monitor, token } = options;
  const access = new DashboardAccess(token);
  const limits: DashboardLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const governor = new ConnectionGovernor(limits);
  const streams = new EventStreams(limits.maxStreamBufferBytes);
  const context: RouteContext = {
    monitor,
    env: options.env,
    hostname: options.hostname ?? osHostname(),
    jobs: options.jobs ?? noJobsSource,
    processJobs: new ProcessJobIndex(options.readEnviron),
    assets: await loadPageAssets(),
    governor,
    streams,
    state: new DashboardState(await readLatestDoctor(options.env)),
  };
  const stopLiveUpdates = startLiveUpdates({ ...context, refreshMs: options.refreshMs ?? 5_000 });
  const server = boundedHttpServer(limits, governor, async (req, res) => {
    const url = admitRequest(req, res, { access, limits, port: listeningPort(server) });
    if (url) await routeRequest(context, req, res, url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => {
      // A failed listen (port in use) must not leave timers keeping the process alive.
      stopLiveUpdates();
      reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const port = listeningPort(server);
  const urlHost = options.host === "::1" ? "[::1]" : options.host;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    oneTimeUrl: () => `http://${urlHost}:${port}/?code=${access.issueCode()}`,
    port,
    server,
    counts: () => ({ ...governor.counts(), dropped: streams.dropped }),
    close: () =>
      new Promise<void>((resolve) => {
        stopLiveUpdates();
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
        governor.closeAll();
      }),
  };
}

/** The port the server listens on (requests arrive only while it listens; 0 once closed, which admits none). */
function listeningPort(server: Server): number {
  return (server.address() as AddressInfo | null)?.port ?? 0;
}
