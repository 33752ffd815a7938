// Benchmark: the monitor's memory and CPU targets (it runs for days beside training jobs, so it must
// stay small and nearly idle).
// - memory: 24 h of 1-second samples for 8 GPUs in the tiered history (target: bounded, < 2 MiB);
// - parse cost: one 8-GPU tick parsed from nvidia-smi CSV and added to the history (µs per tick);
// - sampler CPU at 1 Hz: the real sampler + history reading a fake nvidia-smi child (replaying
//   synthesized CSV, test/fixtures/nvidia-smi) for BENCH_SECONDS (default 60), measured with
//   process.cpuUsage() for THIS process (target < 1% of one core). nvidia-smi's own CPU is not ours.
// Bundles the TypeScript sources with esbuild into a temp folder first. Writes docs/bench/bench-monitor.{md,json}.
// Run: `node bench/monitor-memory.mjs` (or `npm run bench -- monitor`).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

// Re-run with --expose-gc so heap figures are taken after a collection.
if (!global.gc) {
  const again = spawnSync(process.execPath, ["--expose-gc", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(again.status ?? 1);
}

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const out = mkdtempSync(join(tmpdir(), "ts-bench-monitor-"));
await build({
  entryPoints: {
    history: "src/monitor/history.ts",
    monitor: "src/monitor/monitor.ts",
    parse: "src/gpu/tick-assembler.ts",
    fields: "src/gpu/query-fields.ts",
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const load = (name) => import(pathToFileURL(join(out, `${name}.js`)).href);
const { GpuHistory, HISTORY_TIERS } = await load("history");
const { Monitor } = await load("monitor");
const { TickAssembler } = await load("parse");
const { initialFieldSet } = await load("fields");

// One 8-GPU tick as nvidia-smi prints it (the scenario's first tick, timestamp column dropped).
const fixture = readFileSync("test/fixtures/nvidia-smi/scenarios/h100x8/query-gpu.csv", "utf8")
  .split("\n")
  .filter((l) => l && !l.startsWith("#"))
  .slice(1, 9)
  .map((l) => l.split(", ").slice(1).join(", "));
const tickText = `${fixture.join("\n")}\n`;

// 1. memory for 24 h × 8 GPUs at 1 Hz
if (global.gc) global.gc();
const heapBefore = process.memoryUsage();
const history = new GpuHistory();
let rows = [];
const assembler = new TickAssembler(initialFieldSet(), 8, (r) => {
  rows = r;
});
assembler.push(tickText);
const t0 = 1_750_000_000_000;
const fillStart = performance.now();
for (let s = 0; s < 86_400; s += 1) {
  for (const r of rows) r.utilization = (s * 7 + r.index * 13) % 100;
  history.add(t0 + s * 1000, rows);
}
const fillMs = performance.now() - fillStart;
if (global.gc) global.gc();
const heapAfter = process.memoryUsage();
const typedBytes = history.bytes();
const points = HISTORY_TIERS.reduce((n, t) => n + t.points, 0);

// 2. parse + record cost per tick
const iterations = 20_000;
const parseStart = performance.now();
for (let i = 0; i < iterations; i += 1) {
  assembler.push(tickText);
  history.add(t0 + (86_400 + i) * 1000, rows);
}
const perTickUs = ((performance.now() - parseStart) * 1000) / iterations;

// 3. the real sampler at 1 Hz against a fake nvidia-smi child
const env = {
  PATH: process.env.PATH,
  TORCHSTACK_NVIDIA_SMI: resolve("test/fixtures/nvidia-smi/fake-nvidia-smi.cjs"),
  FAKE_NVIDIA_SMI_SCENARIO: "h100x8",
};
const monitor = new Monitor({ env, intervalMs: 1000 });
await monitor.start();
let ticks = 0;
monitor.subscribe(() => {
  ticks += 1;
});
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(cpuStart);
const wallMs = performance.now() - wallStart;
monitor.stop();
const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;

const result = {
  date: new Date().toISOString(),
  node: process.version,
  memory: {
    gpus: 8,
    samplesPerGpu: 86_400,
    tiers: HISTORY_TIERS,
    bucketsPerGpu: points,
    typedArrayBytes: typedBytes,
    typedArrayMiB: Number((typedBytes / 1048576).toFixed(3)),
    heapUsedDeltaMiB: Number(((heapAfter.heapUsed - heapBefore.heapUsed) / 1048576).toFixed(3)),
    arrayBuffersDeltaMiB: Number(((heapAfter.arrayBuffers - heapBefore.arrayBuffers) / 1048576).toFixed(3)),
    fill24hMs: Number(fillMs.toFixed(1)),
    gcExposed: Boolean(global.gc),
  },
  parse: {
    perTickUs: Number(perTickUs.toFixed(2)),
    cpuPercentAt1Hz: Number((perTickUs / 10_000).toFixed(5)),
  },
  sampler: {
    seconds,
    ticks,
    cpuMs: Number(((cpu.user + cpu.system) / 1000).toFixed(1)),
    cpuPercentOfOneCore: Number(cpuPercent.toFixed(3)),
  },
  targets: { cpuPercentOfOneCore: 1, historyMiB: 2 },
};
result.pass = result.sampler.cpuPercentOfOneCore < 1 && result.memory.typedArrayMiB < 2;

writeFileSync("docs/bench/bench-monitor.json", `${JSON.stringify(result, null, 2)}\n`);
const md = `# Monitor benchmark

Measured by \`node bench/monitor-memory.mjs\` on ${result.date.slice(0, 10)} (Node ${result.node}, a shared 2-core VM, no GPU).
Raw numbers: [bench-monitor.json](bench-monitor.json).

| What | Result | Target |
|---|---|---|
| History for 8 GPUs × 24 h of 1 s samples (typed arrays) | ${result.memory.typedArrayMiB} MiB (${typedBytes} bytes; ${points} buckets per GPU) | bounded, < 2 MiB |
| Heap growth while filling it (heapUsed / arrayBuffers) | ${result.memory.heapUsedDeltaMiB} / ${result.memory.arrayBuffersDeltaMiB} MiB${result.memory.gcExposed ? "" : " (no --expose-gc: indicative only)"} | — |
| Parse one 8-GPU CSV tick + record it | ${result.parse.perTickUs} µs (= ${result.parse.cpuPercentAt1Hz}% of a core at 1 Hz) | — |
| Sampler + history at 1 Hz, ${seconds} s, fake nvidia-smi child | ${result.sampler.cpuPercentOfOneCore}% of one core (${result.sampler.cpuMs} ms CPU, ${ticks} ticks) | < 1% |

History tiers: ${HISTORY_TIERS.map((t) => `${t.stepMs / 1000} s × ${t.points}`).join(", ")} (10 min, 6 h, 24 h).
The memory is fixed when a GPU is first seen, so it does not grow with uptime: 24 h costs the same as 1 h.
The sampler figure is this process only (reading the pipe, parsing, recording, compute-apps polls every 5 s,
which spawn a short-lived nvidia-smi); nvidia-smi's own CPU is the driver tool's and is not counted.
The fake nvidia-smi replays synthesized CSV, so these numbers were not taken on a GPU.

Result: **${result.pass ? "targets met" : "TARGET MISSED"}**.
`;
writeFileSync("docs/bench/bench-monitor.md", md);
console.log(md);
process.exit(result.pass ? 0 : 1);
