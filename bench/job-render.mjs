// Benchmark: `torchstack job render` wall time, end to end (process spawn, spec, lock, render, print), for every
// multi-node target and Kubernetes flavor, side by side in one run with `node -e ""` (bare process start) and
// `torchstack --help`. Target < 200 ms. With `--baseline REV` the same commands also run from a dist/ bundled
// from that commit (git archive into a temp folder, this checkout's node_modules), so before and after share
// one run and one machine load. Writes docs/bench/bench-job-render.md and docs/bench/bench-job-render.json.
// Run: `npm run build && node bench/job-render.mjs [--baseline REV]` (BENCH_RUNS sets the rounds, default 20).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { JOB_RENDER_COMMANDS } from "../scripts/write-code-cache.mjs";

const { values: flags } = parseArgs({ options: { baseline: { type: "string" } } });
const runs = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 200;
const cli = resolve("bin/torchstack.js");
const project = mkdtempSync(join(tmpdir(), "torchstack-bench-job-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(project, "state") };
const loadOf = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const loadBefore = loadOf();

/** The CLI of commit `rev`: its bin/, scripts/ and src/ bundled with this checkout's dependencies. */
function buildBaseline(rev) {
  const commit = execFileSync("git", ["rev-parse", "--short", rev], { encoding: "utf8" }).trim();
  const dir = join(project, `baseline-${commit}`);
  execFileSync("mkdir", ["-p", dir]);
  const tar = join(project, `baseline-${commit}.tar`);
  execFileSync("git", ["archive", "-o", tar, commit, "package.json", "bin", "scripts", "src"]);
  execFileSync("tar", ["-x", "-f", tar, "-C", dir]);
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  execFileSync(process.execPath, ["scripts/bundle.mjs"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { commit, cli: join(dir, "bin/torchstack.js") };
}
const baseline = flags.baseline === undefined ? null : buildBaseline(flags.baseline);

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

// The renders the build's code cache is warmed with; `--target local` is one node by definition and is left out
// for this multi-node job.
const commands = [["--help"], ...JOB_RENDER_COMMANDS];
const builds = [...(baseline ? [{ build: "before", cli: baseline.cli }] : []), { build: "after", cli }];
const cases = [
  { name: "node -e ''", build: "reference", args: ["-e", ""] },
  ...commands.flatMap((command) =>
    builds.map(({ build, cli: path }) => ({
      name: command[0] === "--help" ? "torchstack --help" : command.join(" "),
      build,
      args: [path, ...command],
    })),
  ),
];

// Round-robin: each round runs every case once, so a load spike on the shared machine hits all cases alike.
const samples = cases.map(() => []);
for (let round = 0; round < runs; round += 1) {
  for (const [i, { args }] of cases.entries()) samples[i].push(runOnce(args));
}
const results = cases.map(({ name, build }, i) => ({ name, build, ...stats(samples[i]) }));
const loadAfter = loadOf();
rmSync(project, { recursive: true, force: true });

const reference = results[0];
const renders = results.filter((r) => r.name.startsWith("job render") && r.build === "after");
const worst = Math.max(...renders.map((r) => r.median));
const verdict =
  worst < TARGET_MS
    ? `met (slowest median ${worst.toFixed(0)} ms)`
    : `MISSED (slowest median ${worst.toFixed(0)} ms)`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}`;
const ms = (value) => value.toFixed(0);
const find = (name, build) => results.find((r) => r.name === name && r.build === build);
const names = [...new Set(results.slice(1).map((r) => r.name))];
const header = baseline
  ? "| command | before median | before p95 | after median | after p95 | after min | after − `node -e` (median) |\n| --- | --: | --: | --: | --: | --: | --: |"
  : "| command | median ms | p95 ms | min ms | max ms | − `node -e` (median) |\n| --- | --: | --: | --: | --: | --: |";
const rows = names.map((name) => {
  const after = find(name, "after");
  const over = `+${ms(after.median - reference.median)}`;
  if (!baseline)
    return `| \`${name}\` | ${ms(after.median)} | ${ms(after.p95)} | ${ms(after.min)} | ${ms(after.max)} | ${over} |`;
  const before = find(name, "before");
  return `| \`${name}\` | ${ms(before.median)} | ${ms(before.p95)} | ${ms(after.median)} | ${ms(after.p95)} | ${ms(after.min)} | ${over} |`;
});
const builtFrom = baseline
  ? `"before" is dist/ bundled from commit ${baseline.commit} (\`--baseline ${flags.baseline}\`), "after" this checkout's dist/; `
  : "";
const md = `# job render speed

Measured by \`bench/job-render.mjs${baseline ? ` --baseline ${flags.baseline}` : ""}\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC (${machine}), ${runs} rounds,
side by side in one run (round-robin: each round runs every row once, so load spikes hit every row alike).
${builtFrom}load average (1, 5, 15 min) ${loadBefore} at the start, ${loadAfter} at the end.
Wall time of the whole process (spawn, spec and lock read, render, print) for a 4-node × 8-GPU job with every
key set. Target: under ${TARGET_MS} ms per render — ${verdict}. \`node -e ''\` (bare process start, same run):
${ms(reference.median)} ms median, ${ms(reference.p95)} ms p95, ${ms(reference.min)} ms min. On this shared 2-core machine the
start-up of Node itself moves with the load, so the last column (time on top of a bare start) is the comparable one.
(\`--target local\` is one node by definition and is left out for this multi-node job.)

${header}
${rows.join("\n")}

How the CLI starts: bin/torchstack.js compiles dist/cli.cjs (one 0.8 MB CommonJS file) from the V8 code cache
the build wrote beside it (scripts/write-code-cache.mjs), so V8 deserializes compiled code instead of parsing; the
engine client, the manifest and SBOM validators live in dist/vendor/ and load only in the commands that use them.
What a render spends on top of Node's own start (\`node --cpu-prof\` and in-process timings around each module's
initialisation, 2026-12-01, this machine): ≈35–40 ms running torchstack's code for the first time — building the
spec's, job's and lock's zod schemas ≈17 ms (11 of them in the first module that builds any: zod installs its
classes' methods on first use), yaml parsing the spec and zod validating spec and lock ≈15 ms, the render ≈3 ms;
≈8–13 ms deserializing the ≈1 MB code cache; ≈8–10 ms garbage collection (five scavenges of V8's young
generation, whose size a running process cannot change); ≈5 ms Node's built-in modules (streams for the pipes,
crypto for the lock digest); ≈2 ms reading the bundle.
Cuts, largest first: the code cache (compiling was ≈60 ms of a render: V8 pre-parses every function of every
module it loads); the side bundles (3.2 → 0.8 MB to read and to hold in the cache); reading the bundle as latin1
(it is ASCII; decoding 3 MB as UTF-8 took ≈9 ms); earlier, zod's 50 other message locales left out, zod's JIT off
in the CLI (\`z.config({ jitless: true })\`), node:crypto taken at first use, the job's normalised shape a plain
type instead of a zod schema nothing parsed with.
`;
writeFileSync("docs/bench/bench-job-render.md", md);
writeFileSync(
  "docs/bench/bench-job-render.json",
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      load: { start: loadBefore, end: loadAfter },
      runs,
      targetMs: TARGET_MS,
      baseline: baseline?.commit ?? null,
      results,
    },
    null,
    2,
  )}\n`,
);
console.error(md);
if (worst >= TARGET_MS) process.exitCode = 1;
