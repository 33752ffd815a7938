// Benchmark: the bounded dashboard under load (a dashboard left open to a network must not grow
// without bound), on loopback, bounded in
// count and time. The server (real sampler against the fake nvidia-smi, default limits) runs
// in its own process. For BENCH_SECONDS (default 90): 1,000 idle connections that send
// nothing (reconnecting when the header timeout drops them) and 200 /events streams that
// read every tick, while a probe fetches /metrics and the page every 500 ms on a fresh
// connection; the server's RSS and heap are sampled throughout. Then the caps: 1,000 streams
// from one address, and 2,000 slow-header connections until the server has dropped them all.
// Writes docs/bench/bench-dashboard-load.json and docs/bench/bench-dashboard.md.
// Run: `node bench/dashboard-load.mjs` (or `npm run bench -- dashboard`).
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { bundleDashboard, writeDashboardDoc } from "./dashboard-lib/bundle.mjs";
import { startServerProcess } from "./dashboard-lib/server-process.mjs";

const seconds = Number(process.env.BENCH_SECONDS ?? 90);
const IDLE = 1_000;
const STREAMS = 200;
const idleAddresses = ["127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"];
const streamAddresses = ["127.0.0.20", "127.0.0.21", "127.0.0.22", "127.0.0.23"];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = await bundleDashboard();
const server = await startServerProcess(dir);
const token = new URL(server.url).searchParams.get("token");
const host = `127.0.0.1:${server.port}`;
const headers = { host, authorization: `Bearer ${token}` };

function fetchOnce(path, localAddress) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path, headers, agent: false, localAddress },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.setTimeout(10_000, () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

function openStream(localAddress) {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path: "/events", headers, agent: false, localAddress },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve({ status: res.statusCode, close: () => req.destroy() });
          return;
        }
        let bytes = 0;
        res.on("data", (c) => {
          bytes += c.length;
        });
        resolve({ status: 200, close: () => req.destroy(), bytes: () => bytes });
      },
    );
    req.on("error", () => resolve({ status: 0, close: () => {} }));
    req.end();
  });
}

// 1. idle connections that reconnect when dropped
let stopping = false;
let idleReconnects = 0;
const idleSockets = new Set();
function idleConnection(localAddress) {
  const socket = connect({ host: "127.0.0.1", port: server.port, localAddress });
  idleSockets.add(socket);
  socket.resume(); // read, so that a close by the server is seen
  socket.on("error", () => {});
  socket.on("close", () => {
    idleSockets.delete(socket);
    if (!stopping) {
      idleReconnects += 1;
      setTimeout(() => idleConnection(localAddress), 50);
    }
  });
}
for (let i = 0; i < IDLE; i += 1) idleConnection(idleAddresses[i % idleAddresses.length]);
const streams = [];
for (let i = 0; i < STREAMS; i += 1)
  streams.push(await openStream(streamAddresses[i % streamAddresses.length]));
const streamsOk = streams.filter((s) => s.status === 200).length;
await sleep(2_000);
await server.gc();
const start = await server.stats();

// 2. probes and memory samples while the load holds
const probes = [];
const memory = [];
const peak = { connections: 0, streams: 0 };
const loadStarted = performance.now();
let nextSample = 0;
while (performance.now() - loadStarted < seconds * 1000) {
  const [metrics, page] = await Promise.all([fetchOnce("/metrics"), fetchOnce("/")]);
  probes.push(metrics, page);
  if (performance.now() - loadStarted >= nextSample) {
    const s = await server.stats();
    memory.push({ t: Math.round(performance.now() - loadStarted), rss: s.rss, heapUsed: s.heapUsed });
    peak.connections = Math.max(peak.connections, s.connections);
    peak.streams = Math.max(peak.streams, s.streams);
    nextSample += 2_000;
  }
  await sleep(500);
}
const loaded = await server.stats(); // CPU since the ramp-up sample
await server.gc();
const end = await server.stats();
stopping = true;
for (const s of idleSockets) s.destroy();
for (const s of streams) s.close();
const bytesPerStream = streams.filter((s) => s.bytes).map((s) => s.bytes());
await sleep(1_000);

// 3. over the caps
const flood = [];
for (let i = 0; i < 1_000; i += 1) flood.push(openStream("127.0.0.30"));
const floodResults = await Promise.all(flood);
const overCap = {
  streamsAccepted: floodResults.filter((s) => s.status === 200).length,
  streams429: floodResults.filter((s) => s.status === 429).length,
  streamsClosed: floodResults.filter((s) => s.status === 0).length,
};
for (const s of floodResults) s.close();
await sleep(500);
const slow = new Set();
for (let i = 0; i < 2_000; i += 1) {
  const socket = connect({ host: "127.0.0.1", port: server.port, localAddress: idleAddresses[i % 4] });
  socket.resume();
  socket.on("error", () => {});
  socket.on("connect", () => socket.write("GET /metrics HTTP/1.1\r\n"));
  socket.on("close", () => slow.delete(socket));
  slow.add(socket);
}
const slowStarted = performance.now();
let slowHeld = 0;
while (slow.size > 0 && performance.now() - slowStarted < 30_000) {
  await sleep(500);
  slowHeld = Math.max(slowHeld, (await server.stats()).connections);
}
overCap.slowHeld = slowHeld;
overCap.slowDroppedBy = Number(((performance.now() - slowStarted) / 1000).toFixed(1));
overCap.slowLeft = slow.size;
for (const s of slow) s.destroy();
await server.stop();

const sorted = probes.map((p) => p.ms).sort((a, b) => a - b);
const q = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 0;
const MiB = 1_048_576;
const settled = memory.slice(Math.floor(memory.length / 4));
const result = {
  date: new Date().toISOString(),
  node: process.version,
  seconds,
  idle: IDLE,
  streams: STREAMS,
  streamsOk,
  idleAddresses: idleAddresses.length,
  streamAddresses: streamAddresses.length,
  limits:
    "1,536 connections in total and 512 per client, 256 streams in total and 64 per client, 10 s header timeout, 5 s keep-alive, 60 s idle, 8 KiB heads, 2 KiB targets",
  probes: {
    total: probes.length,
    ok: probes.filter((p) => p.status === 200).length,
    p50Ms: Number(q(0.5).toFixed(1)),
    p99Ms: Number(q(0.99).toFixed(1)),
    maxMs: Number((sorted[sorted.length - 1] ?? 0).toFixed(1)),
  },
  peak,
  idleReconnects,
  minBytesPerStream: Math.min(...bytesPerStream),
  memory: {
    samples: memory,
    rssStartMiB: start.rss / MiB,
    rssEndMiB: end.rss / MiB,
    rssGrowthMiB: (end.rss - start.rss) / MiB,
    rssPeakMiB: Math.max(...memory.map((m) => m.rss)) / MiB,
    settledRssSpreadMiB:
      (Math.max(...settled.map((m) => m.rss)) - Math.min(...settled.map((m) => m.rss))) / MiB,
    heapStartMiB: start.heapUsed / MiB,
    heapEndMiB: end.heapUsed / MiB,
    /** bounds: the resident size never above rssLimitMiB, the heap after a full GC within heapLimitMiB of where it began */
    rssLimitMiB: 256,
    heapLimitMiB: 4,
  },
  serverCpuPercent: loaded.cpuPercent,
  overCap,
};
result.pass =
  streamsOk === STREAMS &&
  result.probes.ok === result.probes.total &&
  result.memory.rssPeakMiB < result.memory.rssLimitMiB &&
  result.memory.heapEndMiB - result.memory.heapStartMiB < result.memory.heapLimitMiB &&
  overCap.streamsAccepted <= 64 &&
  overCap.slowLeft === 0;
writeFileSync("docs/bench/bench-dashboard-load.json", `${JSON.stringify(result, null, 2)}\n`);
writeDashboardDoc();
console.log(
  JSON.stringify({ ...result, memory: { ...result.memory, samples: result.memory.samples.length } }, null, 2),
);
process.exit(result.pass ? 0 : 1);
