// The dashboard server for the benches, in its own process so that its memory
// and CPU are measured apart from the load: `node serve.mjs BUNDLE_DIR [FILL_24H]`.
// Sends {url, port} over IPC when listening; answers "stats" with memory, CPU and
// connection counts; "stop" closes it. FILL_24H=1 pre-fills 24 h of history.
import { FAKE_ENV, load } from "./bundle.mjs";

async function serveForBench(dir, fill24h) {
  const { Monitor } = await load(dir, "monitor");
  const { startDashboard } = await load(dir, "server");
  const env = { ...FAKE_ENV, TORCHSTACK_STATE_DIR: process.env.BENCH_STATE_DIR ?? "/nonexistent-state" };
  let monitor = new Monitor({ env, intervalMs: 1000 });
  if (fill24h) {
    // the GPUs as the fake reports them, then 24 h of 1 s samples ending now (as a day-old sampler has)
    const first = await monitor.start();
    monitor.stop();
    monitor = new Monitor({ env, intervalMs: 1000 });
    const now = Date.now();
    const rows = first.gpus.map((g) => ({ ...g }));
    for (let s = 86_400; s >= 2; s -= 1) {
      for (const r of rows) r.utilization = 50 + 45 * Math.sin((s + r.index * 600) / 1800);
      monitor.history.add(now - s * 1000, rows);
    }
  }
  await monitor.start();
  const dashboard = await startDashboard({
    monitor,
    env,
    host: "127.0.0.1",
    port: 0,
    token: "bench-token-0123456789abcdefghijklmnopq",
    hostname: "bench-host",
  });
  let cpu = process.cpuUsage();
  let wall = performance.now();
  process.on("message", async (message) => {
    if (message === "stats") {
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - wall;
      cpu = process.cpuUsage();
      wall = performance.now();
      const m = process.memoryUsage();
      process.send?.({
        stats: {
          rss: m.rss,
          heapUsed: m.heapUsed,
          cpuPercent: ((used.user + used.system) / 1000 / ms) * 100,
          ...dashboard.counts(),
        },
      });
    } else if (message === "gc") {
      globalThis.gc?.();
      process.send?.({ gc: true });
    } else if (message === "stop") {
      await dashboard.close();
      monitor.stop();
      process.exit(0);
    }
  });
  process.send?.({ url: dashboard.url, port: dashboard.port });
}

await serveForBench(process.argv[2], process.argv[3] === "1");
