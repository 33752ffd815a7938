/**
 * The dashboard server stays bounded (it may be left open to a network for days), against the real
 * server on loopback with small limits: a connection over the cap closes the
 * oldest idle one or is refused with 503 when all are busy; streams over the
 * total or per-client cap get 429 (a client is a source address, so 127.0.0.2
 * is another client); slow headers and idle keep-alives are dropped; oversized
 * targets, heads and bodies are refused.
 */
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardLimits } from "../../../../src/monitor/dashboard/dashboard-limits.js";
import { type Dashboard, startDashboard } from "../../../../src/monitor/dashboard/server.js";
import { Monitor } from "../../../../src/monitor/monitor.js";
import { scenarioEnv } from "../monitor-fixtures.js";

const TOKEN = "limits-token-abcdefghijklmnopqrstuvwxyz01";

interface Reply {
  status: number;
  body: string;
}

/** One request; for /events resolves on the response head and keeps the stream open. */
function get(
  port: number,
  path: string,
  opts: { localAddress?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<Reply & { close: () => void }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        agent: false,
        localAddress: opts.localAddress,
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}`, ...opts.headers },
      },
      (res) => {
        const close = () => req.destroy();
        if (path.startsWith("/events") && res.statusCode === 200) {
          resolve({ status: 200, body: "", close });
          return;
        }
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, close }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A raw TCP connection; resolves with what the server sent once it closes the connection. */
function raw(port: number, send = ""): { socket: Socket; closed: Promise<{ data: string; ms: number }> } {
  const started = Date.now();
  const socket = connect({ host: "127.0.0.1", port });
  let data = "";
  socket.setEncoding("utf8").on("data", (c: string) => {
    data += c;
  });
  socket.on("error", () => {});
  if (send) socket.write(send);
  const closed = new Promise<{ data: string; ms: number }>((resolve) =>
    socket.on("close", () => resolve({ data, ms: Date.now() - started })),
  );
  return { socket, closed };
}

const waitFor = async (check: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};

describe("bounded dashboard server", () => {
  let monitor: Monitor;
  let dashboard: Dashboard;
  const limits: Partial<DashboardLimits> = {
    maxConnections: 6,
    maxConnectionsPerClient: 6,
    maxStreams: 3,
    maxStreamsPerClient: 2,
    headersTimeoutMs: 600,
    requestTimeoutMs: 1_000,
    keepAliveTimeoutMs: 400,
    maxUrlBytes: 256,
    maxHeaderBytes: 2_048,
  };

  beforeAll(async () => {
    const env = scenarioEnv("v100x2-r418");
    monitor = new Monitor({ env, intervalMs: 200 });
    await monitor.start();
    dashboard = await startDashboard({ monitor, env, host: "127.0.0.1", port: 0, token: TOKEN, limits });
  });
  afterAll(async () => {
    await dashboard.close();
    monitor.stop();
  });

  it("caps live streams in total and per client with 429", async () => {
    const a = await get(dashboard.port, "/events");
    const b = await get(dashboard.port, "/events");
    expect([a.status, b.status]).toEqual([200, 200]);
    const third = await get(dashboard.port, "/events");
    expect(third.status).toBe(429);
    expect(third.body).toContain("too many live streams");
    const other = await get(dashboard.port, "/events", { localAddress: "127.0.0.2" });
    expect(other.status).toBe(200);
    const overTotal = await get(dashboard.port, "/events", { localAddress: "127.0.0.3" });
    expect(overTotal.status).toBe(429);
    expect(dashboard.counts().streams).toBe(3);
    for (const s of [a, b, other]) s.close();
    await waitFor(() => dashboard.counts().streams === 0);
    expect(dashboard.counts().streams).toBe(0);
    const again = await get(dashboard.port, "/events");
    expect(again.status).toBe(200);
    again.close();
  });

  it("closes the oldest idle connection to make room for a new one", async () => {
    await waitFor(() => dashboard.counts().connections === 0);
    const idle = Array.from({ length: 6 }, () => raw(dashboard.port));
    await waitFor(() => dashboard.counts().connections === 6);
    const evictedBefore = dashboard.counts().evicted;
    const metrics = await get(dashboard.port, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain("DCGM_FI_DEV_GPU_UTIL");
    expect(dashboard.counts().evicted).toBeGreaterThan(evictedBefore);
    const firstClosed = await idle[0]?.closed;
    expect(firstClosed?.data).toBe(""); // the oldest idle one was closed without a reply
    for (const c of idle) c.socket.destroy();
    await waitFor(() => dashboard.counts().connections === 0);
    // a client that sent half a request head counts as idle too: it makes room for a complete request
    const halfSent = Array.from({ length: 6 }, () => raw(dashboard.port, "GET /metrics HTTP/1.1\r\n"));
    await waitFor(() => dashboard.counts().connections === 6);
    expect((await get(dashboard.port, "/api/snapshot")).status).toBe(200);
    for (const h of halfSent) h.socket.destroy();
  });

  it("refuses a new connection with 503 when all connections are busy", async () => {
    await waitFor(() => dashboard.counts().connections === 0 && dashboard.counts().streams === 0);
    const small = await startDashboard({
      monitor,
      env: scenarioEnv("v100x2-r418"),
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      limits: { maxConnections: 2, maxStreams: 2, maxStreamsPerClient: 2 },
    });
    try {
      const streams = [await get(small.port, "/events"), await get(small.port, "/events")];
      const refused = raw(small.port);
      const { data } = await refused.closed;
      expect(data).toMatch(/^HTTP\/1\.1 503 Service Unavailable/);
      expect(small.counts().refused).toBe(1);
      for (const s of streams) s.close();
    } finally {
      await small.close();
    }
  });

  it("drops a client that sends its headers too slowly, and closes idle keep-alive connections", async () => {
    const slow = raw(dashboard.port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const slowEnd = await slow.closed;
    expect(slowEnd.ms).toBeLessThan(3_000);
    expect(slowEnd.data).toMatch(/^HTTP\/1\.1 408|^$/);
    const keepAlive = raw(
      dashboard.port,
      `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${dashboard.port}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: keep-alive\r\n\r\n`,
    );
    const kept = await keepAlive.closed;
    expect(kept.data).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(kept.ms).toBeLessThan(3_000);
  });

  it("refuses oversized request targets, heads and bodies", async () => {
    expect((await get(dashboard.port, `/metrics?x=${"a".repeat(300)}`)).status).toBe(414);
    const bigHead = raw(
      dashboard.port,
      `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${dashboard.port}\r\nX-Big: ${"b".repeat(4_000)}\r\n\r\n`,
    );
    expect((await bigHead.closed).data).toMatch(/^HTTP\/1\.1 431/);
    const body = raw(
      dashboard.port,
      `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${dashboard.port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
    );
    expect((await body.closed).data).toMatch(/^HTTP\/1\.1 413/);
  });
});
