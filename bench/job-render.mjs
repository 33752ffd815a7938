// Benchmark: `torchstack job render` wall time, end to end (process spawn, spec, lock, render, print), for every
// target and Kubernetes flavor, side by side in one run with `node -e ""` and `torchstack --help`. Target < 200 ms.
// Writes docs/bench-job-render.md and docs/bench-job-render.json. Run: `npm run build && node bench/job-render.mjs`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const runs = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_MS = 200;
const cli = resolve("bin/torchstack.js");
const project = mkdtempSync(join(tmpdir(), "torchstack-bench-job-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(project, "state") };

writeFileSync(
  join(project, "torchstack.yaml"),
  `name: bench-job
base: image:torchstack-local/debian:12
torchSource: distro
cuda: cpu
python: "3.11"
job:
  command: [python3, train.py, --epochs, "3"]
  nodes: 4
  procsPerNode: 8
  gpusPerNode: 8
  shm: 16g
  restarts: 2
  env: {NCCL_DEBUG: INFO}
  slurm: {partition: gpu, container: pyxis}
  kubernetes: {namespace: research, queue: team-a, tolerations: [{key: dedicated, operator: Exists}]}
`,
);
const locked = spawnSync(process.execPath, [cli, "lock"], { cwd: project, env, stdio: "pipe" });
if (locked.status !== 0) throw new Error(`lock failed: ${locked.stderr}`);

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { runs: samples.length, median: pick(0.5), p95: pick(0.95), min: sorted[0], max: sorted.at(-1) };
}

function runOnce(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: project, env, stdio: "pipe" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return performance.now() - start;
}

const cases = [
  ["node -e ''", ["-e", ""]],
  ["torchstack --help", [cli, "--help"]],
  ["job render --target local", null],
  ["job render --target slurm", [cli, "job", "render", "--target", "slurm"]],
  ...["indexed-job", "jobset", "trainjob", "pytorchjob"].map((flavor) => [
    `job render --target kubernetes --flavor ${flavor}`,
    [cli, "job", "render", "--target", "kubernetes", "--flavor", flavor],
  ]),
].filter(([, args]) => args !== null);

// Round-robin: each round runs every case once, so a load spike on the shared machine hits all cases alike.
const samples = cases.map(() => []);
for (let round = 0; round < runs; round += 1) {
  for (const [i, [, args]] of cases.entries()) samples[i].push(runOnce(args));
}
const results = cases.map(([name], i) => ({ name, ...stats(samples[i]) }));
rmSync(project, { recursive: true, force: true });
const renders = results.filter((r) => r.name.startsWith("job render"));
const worst = Math.max(...renders.map((r) => r.median));
const verdict =
  worst < TARGET_MS ? `met (slowest median ${worst.toFixed(0)} ms)` : `MISSED (${worst.toFixed(0)} ms)`;
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(" ");
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}, load average ${load}`;
const rows = results.map(
  (r) =>
    `| \`${r.name}\` | ${r.median.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.min.toFixed(0)} | ${r.max.toFixed(0)} |`,
);
const md = `# job render speed

Measured by \`bench/job-render.mjs\` on ${new Date().toISOString().slice(0, 10)} (${machine}), ${runs} runs each,
side by side in one run (round-robin: each round runs every command once). Wall time of the whole process (spawn, spec and lock read, render, print) for a 4-node ×
8-GPU job with every key set. Target: under ${TARGET_MS} ms per render — ${verdict}. On a shared, loaded machine
compare each row with \`node -e ''\` (bare process start) measured in the same run.
(\`--target local\` is one node by definition and is left out for this multi-node job.)

| command | median ms | p95 ms | min ms | max ms |
| --- | --: | --: | --: | --: |
${rows.join("\n")}
`;
writeFileSync("docs/bench-job-render.md", md);
writeFileSync(
  "docs/bench-job-render.json",
  `${JSON.stringify({ date: new Date().toISOString(), machine, runs, targetMs: TARGET_MS, results }, null, 2)}\n`,
);
console.error(md);
if (worst >= TARGET_MS) process.exitCode = 1;
