// Benchmark: CLI start-up and resolve speed, against the targets a CLI must meet to feel instant.
// - `torchstack --help` wall time, end to end (process spawn included), target < 300 ms.
// - `resolve` own work: resolveStack() in-process over a spread of requests, target < 100 ms.
// Writes docs/bench/bench-cli.md and docs/bench/bench-cli.json. Run: `npm run build && node bench/cli-speed.mjs`.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const runs = Number(process.env.BENCH_RUNS ?? 25);

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { runs: samples.length, median: pick(0.5), p95: pick(0.95), min: sorted[0], max: sorted.at(-1) };
}

function runOnce(args, { check }) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: "pipe" });
  const elapsed = performance.now() - start;
  if (check && result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
  return elapsed;
}

// Round-robin: each round runs every command once, so a load spike on the shared machine hits all alike.
const loadOf = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const loadStart = loadOf();
const cases = [
  { args: ["-e", ""], check: false },
  { args: ["bin/torchstack.js", "--help"], check: true },
  {
    args: ["bin/torchstack.js", "resolve", "--no-host", "--torch", "2.7", "--gpu", "rtx5090", "--json"],
    check: false,
  },
];
const samples = cases.map(() => []);
for (let round = 0; round < runs; round += 1) {
  for (const [i, c] of cases.entries()) samples[i].push(runOnce(c.args, c));
}
const [baseline, help, resolveCli] = samples.map(stats);
const loadEnd = loadOf();

const { resolveStack } = await import(pathToFileURL("dist/bench-resolve.js").href).catch(() => ({}));
let resolveOwn = null;
if (resolveStack) {
  const requests = [
    { torch: "2.7", gpus: ["rtx 5090"], driver: "570.124.06" },
    { gpus: ["sm_61"], driver: "560.35.05" },
    { torch: "2.11", gpus: ["v100"] },
    { cuda: "cpu" },
    { torch: "2.9", python: "3.12", driver: "580.65.06", gpus: ["h100", "a100"] },
  ];
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    for (const request of requests) {
      try {
        resolveStack(request);
      } catch {}
    }
    samples.push((performance.now() - start) / requests.length);
  }
  resolveOwn = stats(samples);
}

const fmt = (s) => `${s.median.toFixed(1)} ms median, ${s.p95.toFixed(1)} ms p95 (${s.runs} runs)`;
const result = {
  date: new Date().toISOString(),
  node: process.version,
  load: { start: loadStart, end: loadEnd },
  baseline,
  help,
  resolveCli,
  resolveOwn,
};
writeFileSync("docs/bench/bench-cli.json", `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  "docs/bench/bench-cli.md",
  [
    "# CLI speed",
    "",
    `Measured ${result.date} on the project machine (2 cores, Node ${process.version}) by \`node bench/cli-speed.mjs\`,`,
    `the three commands round-robin in one run; load average (1, 5, 15 min) ${loadStart} at the start, ${loadEnd} at the end.`,
    "",
    "| what | target | result |",
    "| --- | --- | --- |",
    `| \`node -e ""\` (process start, for reference) | — | ${fmt(baseline)} |`,
    `| \`torchstack --help\` (whole process) | < 300 ms | ${fmt(help)} |`,
    `| \`torchstack resolve --json\` (whole process) | — | ${fmt(resolveCli)} |`,
    `| resolveStack() own work per request | < 100 ms | ${resolveOwn ? fmt(resolveOwn) : "not measured"} |`,
    "",
  ].join("\n"),
);
console.log(JSON.stringify(result, null, 2));
