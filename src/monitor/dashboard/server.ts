/**
 * The dashboard's HTTP server (node:http), bound to a loopback address only.
 * Routes: / (page), /events (Server-Sent Events: `state` on connect, `tick` per
 * sample, `jobs` when jobs change), /api/snapshot, /api/history?rangeMs=,
 * /metrics (Prometheus). Every route needs the token (see auth.ts) and a
 * loopback Host header; responses carry a CSP, nosniff, no-referrer and
 * no-store, and no CORS headers at all. Connections, streams, timeouts and
 * request sizes are bounded (dashboard-limits.ts, connection-governor.ts).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname as osHostname } from "node:os";
import { computeHints } from "../hints.js";
import type { JobSummary } from "../jobs/job-summary.js";
import { type JobsSource, noJobsSource } from "../jobs/jobs-source.js";
import { type EnvironReader, ProcessJobIndex } from "../jobs/process-jobs.js";
import type { Monitor } from "../monitor.js";
import { snapshotJson } from "../snapshot-json.js";
import { authorize, DashboardAccess, hostAllowed } from "./auth.js";
import { ConnectionGovernor, type GovernorCounts } from "./connection-governor.js";
import { clampRange, emptySnapshot, historyJson, jobsJson, stateJson, tickJson } from "./dashboard-data.js";
import { type DashboardLimits, DEFAULT_LIMITS } from "./dashboard-limits.js";
import type { DoctorView } from "./dashboard-payload.js";
import { EventStreams } from "./event-streams.js";
import { csp, JSON_TYPE, SECURITY_HEADERS, send, sizeProblem, TEXT } from "./http-responses.js";
import { readLatestDoctor } from "./latest-results.js";
import { renderMetrics } from "./metrics.js";
import { renderPage } from "./page.js";
import { loadPageAssets } from "./page-assets.js";

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
  const host = options.hostname ?? osHostname();
  const jobs = options.jobs ?? noJobsSource;
  const processJobs = new ProcessJobIndex(options.readEnviron);
  const governor = new ConnectionGovernor(limits);
  const streams = new EventStreams(limits.maxStreamBufferBytes);
  const assets = await loadPageAssets();
  let doctor: DoctorView | null = await readLatestDoctor(options.env);
  let lastJobs = "";
  let knownJobs: JobSummary[] = [];
  let port = options.port;

  const unsubscribe = monitor.subscribe((snapshot) => {
    if (streams.size === 0) return; // no open page: skip the hints and JSON on this tick
    tickJson(monitor, snapshot, { processJobs, doctor, jobs: knownJobs })
      .then((tick) => streams.broadcast("tick", tick))
      .catch(() => {});
  });
  const refresh = setInterval(() => {
    if (streams.size === 0) return;
    Promise.all([jobsJson(jobs), readLatestDoctor(options.env)])
      .then(([payload, latestDoctor]) => {
        doctor = latestDoctor;
        knownJobs = payload.jobs;
        const text = JSON.stringify(payload);
        if (text !== lastJobs) streams.broadcast("jobs", payload);
        lastJobs = text;
      })
      .catch(() => {});
  }, options.refreshMs ?? 5_000);
  const heartbeat = setInterval(() => streams.heartbeat(), 15_000);
  const stopTimers = () => {
    unsubscribe();
    clearInterval(refresh);
    clearInterval(heartbeat);
  };

  const openStream = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const release = governor.openStream(req);
    if (!release) {
      send(res, 429, TEXT, "too many live streams: close other dashboard tabs\n", { "Retry-After": "5" });
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8" });
    streams.add(res, release);
    const state = await stateJson({
      monitor,
      env: options.env,
      hostname: host,
      rangeMs: clampRange(url.searchParams.get("rangeMs")),
      jobs,
      processJobs,
    });
    lastJobs ||= JSON.stringify({ jobs: state.jobs, source: state.source });
    if (knownJobs.length === 0) knownJobs = state.jobs;
    res.write(`retry: 2000\nevent: state\ndata: ${JSON.stringify(state)}\n\n`);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, port)) {
      send(res, 403, TEXT, "forbidden: Host must be the loopback address\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, TEXT, "method not allowed\n", { Allow: "GET, HEAD" });
      return;
    }
    const tooBig = sizeProblem(req, limits);
    if (tooBig) {
      send(res, tooBig[0], TEXT, tooBig[1], { Connection: "close" });
      return;
    }
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const page = url.pathname === "/";
    const auth = authorize(req, url, access, port, page);
    if (auth.kind === "missing") {
      send(res, 401, TEXT, "unauthorized: open the URL with ?token= that `torchstack dashboard` printed\n", {
        "WWW-Authenticate": 'Bearer realm="torchstack"',
      });
      return;
    }
    if (auth.kind === "wrong") {
      send(res, 403, TEXT, "forbidden: wrong token\n");
      return;
    }
    if (auth.kind === "redirect") {
      res.writeHead(303, { ...SECURITY_HEADERS, Location: auth.location, "Set-Cookie": auth.cookie });
      res.end();
      return;
    }
    switch (url.pathname) {
      case "/": {
        const nonce = randomBytes(16).toString("base64");
        send(res, 200, "text/html; charset=utf-8", renderPage(nonce, assets), {
          "Content-Security-Policy": csp(nonce),
        });
        return;
      }
      case "/events":
        await openStream(req, res, url);
        return;
      case "/api/snapshot": {
        const snapshot = monitor.latest() ?? emptySnapshot();
        const body = {
          time: snapshot.time,
          ...snapshotJson(snapshot),
          hints: computeHints(snapshot, monitor.history),
          environments: monitor.environments(),
        };
        send(res, 200, JSON_TYPE, JSON.stringify(body));
        return;
      }
      case "/api/history":
        send(
          res,
          200,
          JSON_TYPE,
          JSON.stringify(historyJson(monitor, clampRange(url.searchParams.get("rangeMs")))),
        );
        return;
      case "/api/jobs":
        send(res, 200, JSON_TYPE, JSON.stringify(await jobsJson(jobs)));
        return;
      case "/metrics": {
        const snapshot = monitor.latest() ?? emptySnapshot();
        const body = renderMetrics(snapshot, host, computeHints(snapshot, monitor.history).length);
        send(res, 200, "text/plain; version=0.0.4; charset=utf-8", body);
        return;
      }
      case "/favicon.ico":
        res.writeHead(204, SECURITY_HEADERS);
        res.end();
        return;
      default:
        send(res, 404, TEXT, "not found\n");
    }
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      governor.track(req, res);
      route(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, TEXT, "internal error\n");
        else res.end();
      });
    },
  );
  server.timeout = limits.idleTimeoutMs;
  server.on("connection", (socket) => governor.admit(socket));
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    // a head over maxHeaderBytes is 431, a head too slow (headersTimeout) 408, anything malformed 400
    const status =
      error.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : "400 Bad Request";
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => {
      // A failed listen (port in use) must not leave timers keeping the process alive.
      stopTimers();
      reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = options.host === "::1" ? "[::1]" : options.host;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    oneTimeUrl: () => `http://${urlHost}:${port}/?code=${access.issueCode()}`,
    port,
    server,
    counts: () => ({ ...governor.counts(), dropped: streams.dropped }),
    close: () =>
      new Promise<void>((resolve) => {
        stopTimers();
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
        governor.closeAll();
      }),
  };
}
