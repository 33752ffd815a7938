/**
 * The dashboard's HTTP server (node:http), bound to a loopback address only.
 * Routes: / (page), /events (Server-Sent Events: `state` on connect, `tick` per
 * sample), /api/snapshot, /api/history?rangeMs=, /metrics (Prometheus). Every
 * route needs the token (see auth.ts) and a loopback Host header; responses carry
 * a CSP, nosniff, no-referrer and no-store, and no CORS headers at all.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname as osHostname } from "node:os";
import { computeHints } from "../hints.js";
import type { Monitor } from "../monitor.js";
import { snapshotJson } from "../snapshot-json.js";
import { authorize, hostAllowed } from "./auth.js";
import { emptySnapshot, historyJson, stateJson, tickJson } from "./dashboard-data.js";
import { renderMetrics } from "./metrics.js";
import { renderPage } from "./page.js";

export interface DashboardOptions {
  monitor: Monitor;
  env: NodeJS.ProcessEnv;
  host: string;
  port: number;
  token: string;
  hostname?: string;
}

export interface Dashboard {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
};

function csp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Security-Policy": csp("none"),
    "Content-Type": type,
    ...extra,
  });
  res.end(body);
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { monitor, token } = options;
  const host = options.hostname ?? osHostname();
  const clients = new Set<ServerResponse>();
  let port = options.port;

  const unsubscribe = monitor.subscribe((snapshot) => {
    if (clients.size === 0) return; // no open page: skip the hints and JSON on this tick
    const data = `event: tick\ndata: ${JSON.stringify(tickJson(monitor, snapshot))}\n\n`;
    for (const client of clients) client.write(data);
  });
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(": keep-alive\n\n");
  }, 15_000);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, port)) {
      send(res, 403, "text/plain; charset=utf-8", "forbidden: Host must be the loopback address\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "text/plain; charset=utf-8", "method not allowed\n", { Allow: "GET, HEAD" });
      return;
    }
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const page = url.pathname === "/";
    const auth = authorize(req, url, token, page);
    if (auth.kind === "missing") {
      send(
        res,
        401,
        "text/plain; charset=utf-8",
        "unauthorized: open the URL with ?token= that `torchstack dashboard` printed\n",
        {
          "WWW-Authenticate": 'Bearer realm="torchstack"',
        },
      );
      return;
    }
    if (auth.kind === "wrong") {
      send(res, 403, "text/plain; charset=utf-8", "forbidden: wrong token\n");
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
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          "Content-Security-Policy": csp(nonce),
          "Content-Type": "text/html; charset=utf-8",
        });
        res.end(renderPage(nonce));
        return;
      }
      case "/events": {
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          "Content-Type": "text/event-stream; charset=utf-8",
          Connection: "keep-alive",
        });
        res.write(
          `retry: 2000\nevent: state\ndata: ${JSON.stringify(await stateJson(monitor, options.env, host))}\n\n`,
        );
        clients.add(res);
        req.on("close", () => clients.delete(res));
        return;
      }
      case "/api/snapshot": {
        const snapshot = monitor.latest() ?? emptySnapshot();
        const body = {
          time: snapshot.time,
          ...snapshotJson(snapshot),
          hints: computeHints(snapshot, monitor.history),
          environments: monitor.environments(),
        };
        send(res, 200, "application/json; charset=utf-8", JSON.stringify(body));
        return;
      }
      case "/api/history": {
        const rangeMs = Math.min(
          86_400_000,
          Math.max(60_000, Number(url.searchParams.get("rangeMs")) || 600_000),
        );
        send(res, 200, "application/json; charset=utf-8", JSON.stringify(historyJson(monitor, rangeMs)));
        return;
      }
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
        send(res, 404, "text/plain; charset=utf-8", "not found\n");
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => {
      // A failed listen (port in use) must not leave the heartbeat timer keeping the process alive.
      unsubscribe();
      clearInterval(heartbeat);
      reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = options.host === "::1" ? "[::1]" : options.host;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const client of clients) client.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
