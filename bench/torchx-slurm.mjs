// Benchmark: torchx against torchstack on the same Slurm cluster, side by side in one run (medians):
// the same 2 nodes × 2 ranks gloo job (test/fixtures/jobs-run/train.py, the nodes' own Python, no container:
// torchx's Slurm scheduler runs no image) through `torchx run -s slurm dist.ddp -j 2x2` and through
// `torchstack job run --target slurm --wait`. Two times per run: the client's wall time until it knows the
// job ended, and the controller's own SubmitTime → EndTime (`scontrol show job`), the time to COMPLETED.
// torchx comes from the package index into a virtual environment this script makes once (over the host's
// Python, so Debian's torch is there); torchx 0.7.0's `--wait` asks `sacct`, which needs an accounting
// database the test cluster lacks (torchx#1070), so its side submits and then polls `squeue` once a second.
// Debian's torch 1.13 on Python 3.11 needs `--tee 1` and PET_REDIRECTS=2 (torchrun's default crashes),
// which torchx's component does not know: passed by hand. Needs `npm run slurm:setup`.
// Writes docs/bench/bench-torchx-slurm.md and .json. Run: `npm run build && node bench/torchx-slurm.mjs`.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const TORCHX = process.env.BENCH_TORCHX_VERSION ?? "0.7.0";
const cli = resolve("bin/torchstack.js");
const slurmBin = join(process.env.TORCHSTACK_SLURM_DIR ?? "/var/lib/torchstack-slurm", "bin");
const venv = join(tmpdir(), `torchstack-bench-torchx-${TORCHX}`);
const project = mkdtempSync(join(tmpdir(), "torchstack-bench-torchx-"));
chmodSync(project, 0o755);
const env = {
  ...process.env,
  PATH: `${join(venv, "bin")}:${slurmBin}:/usr/bin:/bin:/usr/sbin:/sbin`,
  TORCHSTACK_STATE_DIR: join(project, "state"),
  TORCHSTACK_SLURM_BIN: slurmBin,
};
const sh = (file, args, options = {}) =>
  spawnSync(file, args, { cwd: project, env, encoding: "utf8", ...options });

if (sh(join(slurmBin, "sinfo"), ["-h"]).status !== 0) {
  console.error("bench torchx-slurm: no Slurm test cluster (npm run slurm:setup); skipped");
  process.exit(0);
}
if (!existsSync(join(venv, "bin", "torchx"))) {
  console.error(`bench torchx-slurm: making ${venv} with torchx ${TORCHX} (once)`);
  for (const [file, args] of [
    ["/usr/bin/python3", ["-m", "venv", "--system-site-packages", venv]],
    [join(venv, "bin", "pip"), ["install", "--quiet", `torchx==${TORCHX}`]],
  ])
    if (sh(file, args, { stdio: "inherit" }).status !== 0)
      throw new Error(`${file} ${args.join(" ")} failed`);
}

copyFileSync(resolve("test/fixtures/jobs-run/train.py"), join(project, "train.py"));
// A fresh port pair per run (the cluster is shared: a fixed port may still be held by another test's job).
const portBase = 30000 + Math.floor(Math.random() * 5000) * 2;
const spec = (port) => `name: bench-torchx
base: image:torchstack-local/debian:12
torchSource: distro
cuda: cpu
python: "3.11"
flavor: runtime
user: {name: dev}
run: {gpus: none}
job:
  command: [python3, train.py]
  nodes: 2
  procsPerNode: 2
  port: ${port}
  slurm: {container: none}
`;
writeFileSync(join(project, "torchstack.yaml"), spec(portBase));
if (sh(process.execPath, [cli, "lock"]).status !== 0) throw new Error("torchstack lock failed");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const scontrol = (args) => sh(join(slurmBin, "scontrol"), args).stdout;
/** SubmitTime → EndTime of a finished job (and → StartTime: pending), and its state, from the controller. */
function controllerTimes(id) {
  const line = scontrol(["-o", "show", "job", id]).split("\n")[0] ?? "";
  const field = (name) => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1];
  const at = (name) => Date.parse(field(name) ?? "");
  const ms = at("EndTime") - at("SubmitTime");
  const pending = at("StartTime") - at("SubmitTime");
  return {
    state: field("JobState") ?? "?",
    ms: Number.isNaN(ms) ? null : ms,
    pendingMs: Number.isNaN(pending) ? null : pending,
  };
}
function lastJobNamed(name) {
  const ids = scontrol(["-o", "show", "job"])
    .split("\n")
    .filter((l) => l.includes(` JobName=${name} `))
    .map((l) => Number(/JobId=(\d+)/.exec(l)?.[1]));
  return String(Math.max(...ids));
}
function waitIdle() {
  for (let i = 0; i < 300; i += 1) {
    const states = sh(join(slurmBin, "sinfo"), ["-h", "-N", "-o", "%t"]).stdout.trim().split("\n");
    if (states.every((s) => s.trim() === "idle")) break;
    spawnSync("sleep", ["0.5"]);
  }
  spawnSync("sleep", ["3.5"]); // Slurm's batch_sched_delay after the last job
}

const samples = { torchstack: [], torchx: [] };
const failures = [];
for (let i = 0; i < runs; i += 1) {
  const port = portBase + 2 * i + 100;
  writeFileSync(join(project, "torchstack.yaml"), spec(port));
  if (sh(process.execPath, [cli, "lock"]).status !== 0) throw new Error("torchstack lock failed");
  waitIdle();
  let start = performance.now();
  const ours = sh(process.execPath, [cli, "job", "run", "--target", "slurm", "--wait", "--json"]);
  const oursWall = performance.now() - start;
  const oursJob = controllerTimes(lastJobNamed("bench-torchx"));
  if (ours.status !== 0) failures.push(`torchstack: ${ours.stderr.trim().split("\n").at(-1)}`);
  samples.torchstack.push({
    wallMs: Math.round(oursWall),
    controllerMs: oursJob.ms,
    pendingMs: oursJob.pendingMs,
    state: oursJob.state,
  });

  waitIdle();
  start = performance.now();
  const theirs = sh("torchx", [
    "run",
    "-s",
    "slurm",
    "dist.ddp",
    "-j",
    "2x2",
    "--cpu",
    "1",
    "--memMB",
    "512",
    "--rdzv_port",
    String(port + 1),
    "--tee",
    "1",
    "--env",
    "PET_REDIRECTS=2",
    "--script",
    "train.py",
  ]);
  const id = /slurm:\/\/torchx\/(\d+)/.exec(theirs.stdout)?.[1];
  if (!id) {
    failures.push(`torchx: ${theirs.stderr.trim().split("\n").at(-1)}`);
    continue;
  }
  while (sh(join(slurmBin, "squeue"), ["-h", "-j", id]).stdout.trim() !== "") spawnSync("sleep", ["1"]);
  const theirsWall = performance.now() - start;
  const theirsJob = controllerTimes(id);
  samples.torchx.push({
    wallMs: Math.round(theirsWall),
    controllerMs: theirsJob.ms,
    pendingMs: theirsJob.pendingMs,
    state: theirsJob.state,
  });
  console.error(
    `run ${i + 1}: torchstack ${JSON.stringify(samples.torchstack.at(-1))}, torchx ${JSON.stringify(samples.torchx.at(-1))}`,
  );
}

// Medians over the runs that COMPLETED (a run killed from outside, e.g. by another test's cleanup on the
// shared cluster, is counted in the last column, not timed).
const summary = (all) => {
  const list = all.filter((s) => s.state === "COMPLETED");
  return summaryOf(list, all.length);
};
const summaryOf = (list, total) => ({
  wallMs: Math.round(median(list.map((s) => s.wallMs))),
  completedMs: Math.round(median(list.filter((s) => s.controllerMs !== null).map((s) => s.controllerMs))),
  pendingMs: Math.round(median(list.filter((s) => s.pendingMs !== null).map((s) => s.pendingMs))),
  completed: list.length,
  runs: total,
});
const result = {
  when: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}`,
  torchx: TORCHX,
  runs,
  torchstack: summary(samples.torchstack),
  torchxSide: summary(samples.torchx),
  samples,
  failures,
  loadavg: loadavg().map((l) => Number(l.toFixed(1))),
};
writeFileSync("docs/bench/bench-torchx-slurm.json", `${JSON.stringify(result, null, 2)}\n`);
const row = (name, s) =>
  `| ${name} | ${s.completedMs} | ${s.pendingMs} | ${s.completedMs - s.pendingMs} | ${s.wallMs} | ${s.completed} of ${s.runs} |`;
writeFileSync(
  "docs/bench/bench-torchx-slurm.md",
  `# torchx and torchstack on the same Slurm cluster

Generated by \`bench/torchx-slurm.mjs\` on ${result.when} (${result.machine}); medians of ${runs} runs each,
the two sides alternating, each run on idle nodes 3.5 s after the last job. The same 2 nodes × 2 ranks gloo
job (test/fixtures/jobs-run/train.py, the nodes' Python, Debian torch 1.13) on the two-node test cluster
(\`npm run slurm:setup\`, Slurm 22.05): \`torchx run -s slurm dist.ddp -j 2x2\` (torchx ${TORCHX}, its
one-heterogeneous-job-per-replica script, c10d rendezvous) against \`torchstack job run --target slurm --wait\`
(one job, static rendezvous). Slurm's times are whole seconds. Medians are over the runs that ended COMPLETED. "To COMPLETED" is the controller's SubmitTime → EndTime; "client" is the
wall time until the client knows the job ended (torchx: submit, then \`squeue\` once a second, because
torchx ${TORCHX}'s \`--wait\` needs \`sacct\` and so an accounting database this cluster lacks).
Load average at the end: ${result.loadavg.join(", ")}; the cluster is shared with other tests, so samples
spread (all of them in docs/bench/bench-torchx-slurm.json). Failures: ${failures.length}${failures.length ? ` (${failures.at(-1)})` : ""}.

| side | to COMPLETED ms (controller) | of it pending ms | of it running ms | client ms | COMPLETED |
| --- | ---: | ---: | ---: | ---: | --- |
${row("torchstack job run --target slurm --wait", result.torchstack)}
${row(`torchx ${TORCHX} run -s slurm dist.ddp -j 2x2`, result.torchxSide)}
`,
);
console.error(JSON.stringify({ torchstack: result.torchstack, torchx: result.torchxSide }));
