// Benchmark: what `job run` costs over launching the same job by hand, side by side in one run (medians):
//   local: `torchstack job run --target local --wait` against `docker run … torchrun …` written by hand
//          (target: within 10% wall, or under 1 s more);
//   slurm: `torchstack job run --target slurm --wait` against a hand-written sbatch script run with
//          `sbatch` and a once-a-second `squeue` loop (target: within 10%), on the `npm run slurm:setup` cluster.
// Both sides run torchrun with --monitor_interval=1 (what job run sets through PET_MONITOR_INTERVAL), so the
// agents' 5 s default polling does not decide the result. Both run the same 2-rank (local) / 2 nodes × 2 ranks (slurm) gloo job, test/fixtures/jobs-run/train.py.
// Needs Docker with the local Debian 12 base (npm run engine:setup); the Slurm half skips itself without a cluster.
// Writes docs/bench/bench-job-run.md and docs/bench/bench-job-run.json. Run: `npm run build && node bench/job-run.mjs`.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const runs = Number(process.env.BENCH_RUNS ?? 7);
const cli = resolve("bin/torchstack.js");
const slurmBin = join(process.env.TORCHSTACK_SLURM_DIR ?? "/var/lib/torchstack-slurm", "bin");
const project = mkdtempSync(join(tmpdir(), "torchstack-bench-jobrun-"));
chmodSync(project, 0o755); // the ranks run as the image's user, not as mkdtemp's owner
const env = {
  ...process.env,
  PATH: `/usr/bin:/bin:/usr/sbin:/sbin:${process.env.PATH ?? ""}`,
  TORCHSTACK_STATE_DIR: join(project, "state"),
  TORCHSTACK_SLURM_BIN: slurmBin,
  DOCKER_BUILDKIT: "1",
};
copyFileSync(resolve("test/fixtures/jobs-run/train.py"), join(project, "train.py"));
writeFileSync(
  join(project, "torchstack.yaml"),
  `name: bench-jobrun
base: image:torchstack-local/debian:12
torchSource: distro
cuda: cpu
python: "3.11"
flavor: runtime
apps: {jupyter: true, ssh: true}
user: {name: dev}
run: {gpus: none}
job:
  command: [python3, train.py]
  nodes: 1
  procsPerNode: 2
  shm: 1g
  port: 29651
`,
);
// The 2 nodes × 2 ranks Slurm job: with the nodes' Python (none), and in the image on both nodes through
// Slurm's own srun --container (oci: runc through the cluster's oci.conf).
const slurmSpec = (name, port, container) => `name: ${name}
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
  slurm: {container: ${container}}
`;
writeFileSync(join(project, "slurm.yaml"), slurmSpec("bench-jobrun-slurm", 29652, "none"));
writeFileSync(join(project, "oci.yaml"), slurmSpec("bench-jobrun-oci", 29654, "oci"));

function must(args, what) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: project, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr}`);
  return result.stdout;
}

// A failed run is timed too but counted: torch 1.13's --standalone store sometimes drops the agent's last
// poll at exit (RendezvousConnectionError) on a busy host, on either side.
const failures = { count: 0, last: "" };
function timed(file, args) {
  const start = performance.now();
  const result = spawnSync(file, args, { cwd: project, env, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    failures.count += 1;
    failures.last = `${file} ${args.slice(0, 4).join(" ")}…: ${result.stderr.trim().split("\n").at(-1)}`;
    console.error(`bench job-run: a run failed (${failures.last})`);
  }
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.error("bench job-run: building the image (cached after the first time)");
must(["build", "--network", "host", "--json"], "build");
const image = JSON.parse(must(["job", "render", "--target", "local", "--json"], "render")).image;
const lock = JSON.parse(spawnSync("cat", [join(project, "torchstack.lock")], { encoding: "utf8" }).stdout);
const { uid, gid } = lock.user;

// The hand-written local launch: what someone would type for the same job.
const handLocal = [
  "run",
  "--rm",
  "--network",
  "host",
  "--user",
  `${uid}:${gid}`,
  "--shm-size",
  "1g",
  "--volume",
  `${project}:/workspace`,
  "--workdir",
  "/workspace",
  "--env",
  "PYTHONUNBUFFERED=1",
  "--env",
  "TORCHSTACK_APPS=none",
  image,
  "torchrun",
  "--standalone",
  "--nnodes=1",
  "--nproc_per_node=2",
  "--monitor_interval=1",
  "--redirects",
  "2",
  "--tee",
  "1",
  "train.py",
];

const rows = [];
const local = { torchstack: [], hand: [] };
for (let i = 0; i < runs; i += 1) {
  local.torchstack.push(
    timed(process.execPath, [cli, "job", "run", "--target", "local", "--wait", "--json"]),
  );
  local.hand.push(timed("docker", handLocal));
}
rows.push({
  name: "local: job run --wait vs docker run … torchrun …",
  ...compare(local, { ratio: 1.1, extraMs: 1000 }),
});

const cluster = spawnSync(join(slurmBin, "sinfo"), ["-h"], { encoding: "utf8" });
if (cluster.status === 0) {
  const script = join(project, "hand.sbatch");
  writeFileSync(
    script,
    `#!/bin/bash
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --output=${project}/hand-%j.out
export MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)
srun --chdir=${project} bash -c 'exec python3 -m torch.distributed.run --nnodes=2 --nproc_per_node=2 --node_rank=$SLURM_NODEID --master_addr=$MASTER_ADDR --master_port=29653 --monitor_interval=1 --redirects 2 --tee 1 train.py'
`,
  );
  must(["lock", "-f", "slurm.yaml"], "lock slurm.yaml");
  // Each run starts on idle nodes and a settled controller (not timed): a job submitted while the last one's
  // nodes still clean up waits, and one submitted within Slurm's batch_sched_delay (3 s by default) of the last
  // job's end may wait for the next scheduling pass. Without the settle time the side that followed the other
  // in the alternation pended up to 3 s more (seen in the controller's SubmitTime/StartTime).
  const SETTLE_S = "3.5";
  const waitIdle = () => {
    waitNodesIdle();
    spawnSync("sleep", [SETTLE_S]);
  };
  const waitNodesIdle = () => {
    for (let i = 0; i < 100; i += 1) {
      const states = spawnSync(join(slurmBin, "sinfo"), ["-h", "-N", "-o", "%t"], {
        encoding: "utf8",
      }).stdout;
      if (
        states
          .trim()
          .split("\n")
          .every((state) => state.trim() === "idle")
      )
        return;
      spawnSync("sleep", ["0.2"]);
    }
  };
  // One Slurm comparison: `job run --wait` of SPEC against sbatch of SCRIPT, alternating, each on idle nodes.
  const slurmRow = (name, spec, script) => {
    const samples = { torchstack: [], hand: [] };
    // sbatch --wait backs off to 30 s between checks; by hand one polls squeue once a second.
    const wait = `id=$(sbatch --parsable ${script}); while squeue -h -j "$id" 2>/dev/null | grep -q .; do sleep 1; done`;
    for (let i = 0; i < runs; i += 1) {
      waitIdle();
      samples.torchstack.push(
        timed(process.execPath, [cli, "job", "run", "--target", "slurm", "-f", spec, "--wait", "--json"]),
      );
      waitIdle();
      samples.hand.push(timed("bash", ["-c", `PATH=${slurmBin}:$PATH; ${wait}`]));
    }
    rows.push({ name, ...compare(samples, { ratio: 1.1 }) });
  };
  slurmRow("slurm: job run --wait vs sbatch + squeue loop (hand-written)", "slurm.yaml", script);

  if (existsSync(join(slurmBin, "..", "etc", "oci.conf"))) {
    console.error("bench job-run: the oci form: building its image and exporting the bundle (not timed)");
    must(["build", "-f", "oci.yaml", "--network", "host", "--json"], "build oci.yaml");
    waitIdle();
    must(["job", "run", "--target", "slurm", "-f", "oci.yaml", "--wait", "--json"], "first oci run");
    const bundle = readdirSync(join(project, ".torchstack", "oci")).map((name) =>
      join(project, ".torchstack", "oci", name),
    )[0];
    const ociScript = join(project, "hand-oci.sbatch");
    // By hand: the same bundle, the node rank from the node list (Slurm passes no per-task SLURM_NODEID into it).
    writeFileSync(
      ociScript,
      `#!/bin/bash
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --output=${project}/hand-oci-%j.out
export MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)
export NODES="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | tr '\\n' ' ')"
srun --container=${bundle} --export=MASTER_ADDR,NODES bash -c 'i=0; for n in $NODES; do [ "$n" = "$(cat /proc/sys/kernel/hostname)" ] && break; i=$((i + 1)); done; exec torchrun --nnodes=2 --nproc_per_node=2 --node_rank=$i --master_addr=$MASTER_ADDR --master_port=29655 --monitor_interval=1 --redirects 2 --tee 1 train.py'
`,
    );
    slurmRow(
      "slurm, container oci: job run --wait vs sbatch + srun --container (hand-written)",
      "oci.yaml",
      ociScript,
    );
  } else {
    console.error(
      "bench job-run: the test cluster has no oci.conf (npm run slurm:setup); the oci comparison is skipped",
    );
  }
} else {
  console.error(
    "bench job-run: no Slurm test cluster (npm run slurm:setup); the Slurm comparison is skipped",
  );
}

function compare(samples, target) {
  const ours = median(samples.torchstack);
  const hand = median(samples.hand);
  const ok = ours <= hand * target.ratio || (target.extraMs !== undefined && ours - hand <= target.extraMs);
  return {
    torchstackMs: Math.round(ours),
    handMs: Math.round(hand),
    ratio: Number((ours / hand).toFixed(3)),
    extraMs: Math.round(ours - hand),
    target: target.extraMs === undefined ? "within 10%" : "within 10% or under 1 s more",
    ok,
    samples: { torchstack: samples.torchstack.map(Math.round), hand: samples.hand.map(Math.round) },
  };
}

const when = new Date().toISOString();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}`;
writeFileSync(
  "docs/bench/bench-job-run.json",
  `${JSON.stringify({ when, machine, runs, rows, failedRuns: failures.count }, null, 2)}\n`,
);
const table = rows
  .map(
    (r) =>
      `| ${r.name} | ${r.torchstackMs} | ${r.handMs} | ${r.ratio} | ${r.extraMs} | ${r.target} | ${r.ok ? "yes" : "**no**"} |`,
  )
  .join("\n");
writeFileSync(
  "docs/bench/bench-job-run.md",
  `# job run against the same job launched by hand

Generated by \`bench/job-run.mjs\` on ${when} (${machine}); medians of ${runs} runs each, the two sides
alternating in one run, each Slurm run starting on idle nodes 3.5 s after the last job (Slurm's batch_sched_delay). Same job on both sides: test/fixtures/jobs-run/train.py, gloo on the CPU, 2 ranks in the
example image (local), 2 nodes × 2 ranks with host Python on the namespace test cluster (slurm), and the
same 2 × 2 in the image through Slurm's \`srun --container\` (slurm, container oci; the bundle exported once before timing).
The torchstack side includes starting the CLI, reading the spec and lock, rendering, the job record,
and (Slurm) polling \`squeue --json\` once a second until the job ends; the hand side is \`docker run\`
and \`sbatch\` followed by a once-a-second \`squeue\` loop (\`sbatch --wait\` backs off to 30 s).

Load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(", ")} (on a shared machine the samples spread widely;
all samples are in docs/bench/bench-job-run.json). Failed runs (timed all the same): ${failures.count}${failures.count ? ` (last: ${failures.last})` : ""}.

| comparison | torchstack ms | by hand ms | ratio | extra ms | target | met |
| --- | ---: | ---: | ---: | ---: | --- | --- |
${table}
`,
);
console.error(table);
if (rows.some((r) => !r.ok)) process.exitCode = 1;
