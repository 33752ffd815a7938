/**
 * The Slurm target: one sbatch script with every #SBATCH line before the first
 * command, one task per node (`--ntasks-per-node=1`), torchrun per node through
 * srun, MASTER_ADDR from `scontrol show hostnames`, the node rank from
 * SLURM_NODEID, `--rdzv_id=$SLURM_JOB_ID` for c10d, GPUs by `--gpus-per-node`
 * (MIG slices by `--gres`), inside the container form the job names.
 */
import type { RenderedJob, RenderJobInput } from "../job-types.js";
import { slurmCompute } from "../resources.js";
import { jobEnv } from "./common-env.js";
import { shellOwnWord, shellQuote } from "./shell-quote.js";
import { containerWrap } from "./slurm-container.js";
import { entryArgs, torchrunLine } from "./torchrun-args.js";

/** Our own words may carry `$MASTER_ADDR`-like variables for the batch shell; the user's command words never expand. */
const quoteOwn = shellOwnWord;

function sbatchLines(input: RenderJobInput): string[] {
  const { job } = input;
  const { min, max } = job.nodes;
  const lines = [
    `--job-name=${job.name}`,
    `--nodes=${min === max ? min : `${min}-${max}`}`,
    "--ntasks-per-node=1",
    `--output=${job.name}-%j.out`,
  ];
  const gpus = job.gpusPerNode;
  if (gpus.count > 0)
    lines.push(gpus.mig ? `--gres=gpu:${gpus.mig}:${gpus.count}` : `--gpus-per-node=${gpus.count}`);
  lines.push(...slurmCompute(job.resources));
  if (job.slurm.partition) lines.push(`--partition=${job.slurm.partition}`);
  if (job.slurm.account) lines.push(`--account=${job.slurm.account}`);
  if (job.slurm.time) lines.push(`--time=${job.slurm.time}`);
  // a requeued job writes the same output file again: append, so every attempt's output stays
  if (job.slurm.requeue > 0) lines.push("--requeue", "--open-mode=append");
  return lines.map((line) => `#SBATCH ${line}`);
}

/**
 * Job-level retries: a failed step requeues the whole allocation (new nodes, fresh processes) while
 * SLURM_RESTART_COUNT is below the limit, then the job ends with the step's exit status.
 */
function requeueTail(srun: string, limit: number): string[] {
  return [
    "status=0",
    `${srun} || status=$?`,
    `if [ "$status" -ne 0 ] && [ "\${SLURM_RESTART_COUNT:-0}" -lt ${limit} ]; then`,
    `  echo "torchstack: attempt $((\${SLURM_RESTART_COUNT:-0} + 1)) of ${limit + 1} failed (exit $status): requeueing job $SLURM_JOB_ID" >&2`,
    '  scontrol requeue "$SLURM_JOB_ID"',
    "fi",
    'exit "$status"',
  ];
}

export function renderSlurm(input: RenderJobInput): RenderedJob {
  const { job } = input;
  const env = { ...jobEnv(job), MASTER_PORT: String(job.port) };
  const passEnv = ["MASTER_ADDR", ...Object.keys(env)];
  const wrap = containerWrap(input, passEnv);
  const line = torchrunLine(
    job,
    input.runtime,
    { masterAddr: "$MASTER_ADDR", rdzvId: "$SLURM_JOB_ID" },
    { binary: wrap.torchrun, logDir: input.logDir, hostPython: job.slurm.container === "none" },
  );
  const userWords = entryArgs(job.command).length;
  const torchrun = line.argv.map((word, i) =>
    i >= line.argv.length - userWords ? shellQuote(word) : quoteOwn(word),
  );
  const srun = [
    ["srun", "--ntasks-per-node=1", "--kill-on-bad-exit=1", ...wrap.srunOptions.map(quoteOwn)],
    ["bash", "-c", shellQuote(wrap.launcher), "torchstack-node"],
    wrap.args.map(quoteOwn),
    torchrun,
  ]
    .filter((group) => group.length > 0)
    .map((group) => group.join(" "));
  const script = [
    "#!/bin/bash",
    ...sbatchLines(input),
    `# rendered by torchstack from the job block: ${job.nodes.min === job.nodes.max ? job.nodes.max : `${job.nodes.min}-${job.nodes.max}`} node(s), torchrun per node`,
    "set -euo pipefail",
    'MASTER_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)"',
    "export MASTER_ADDR",
    ...Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
    'echo "torchstack: job $SLURM_JOB_ID on $SLURM_JOB_NODELIST, master $MASTER_ADDR:$MASTER_PORT" >&2',
    ...wrap.setup,
    ...(job.slurm.requeue > 0
      ? requeueTail(srun.join(" \\\n  "), job.slurm.requeue)
      : [srun.join(" \\\n  ")]),
    "",
  ].join("\n");
  return {
    target: "slurm",
    name: job.name,
    image: input.image.ref,
    files: [{ path: `${job.name}.sbatch`, content: script }],
    launch: ["sbatch", `${job.name}.sbatch`],
    torchrun: line.argv,
    notes: [
      "one task per node, torchrun forks the ranks; MASTER_ADDR is the first node of the allocation",
      ...(job.slurm.requeue > 0
        ? [
            `a failed job is requeued whole (--requeue, scontrol requeue) at most ${job.slurm.requeue} time(s)`,
          ]
        : []),
      ...wrap.notes,
      ...line.notes,
    ],
  };
}
