/**
 * The torchrun line every target runs, built from the JobSpec and where the
 * target puts the node rank and the master: `--standalone` for one node, static
 * rendezvous (`--node_rank --master_addr --master_port`) for a fixed size, c10d
 * (`--rdzv_endpoint --rdzv_id`) only for elastic. Handles Debian torch 1.13's
 * crash on Python 3.11 without `--redirects`/`--tee`.
 */
import type { JobRuntime, JobSpec } from "../job-types.js";
import { procsOf } from "../normalize-job.js";

export interface Placement {
  /** The node rank as the target provides it (`$(JOB_COMPLETION_INDEX)`); omitted when PET_NODE_RANK carries it. */
  nodeRank?: string;
  /** The master's address as the target provides it (`$MASTER_ADDR`, `job-0.job`). */
  masterAddr: string;
  /** The c10d run id (`$SLURM_JOB_ID`, the job name). */
  rdzvId: string;
  /** Leave out --nnodes/--nproc_per_node/rank/master: the operator injects PET_* (Trainer, PyTorchJob). */
  injected?: boolean;
}

export interface TorchrunLine {
  argv: string[];
  notes: string[];
}

/** `python3 train.py a` → `train.py a`; `python3 -m pkg` → `-m pkg`; another program → `--no_python prog …`. */
export function entryArgs(command: readonly string[]): string[] {
  const [first = "", ...rest] = command;
  if (/^python(3(\.\d+)?)?$/.test(first.split("/").pop() ?? "")) return rest;
  if (first.endsWith(".py")) return [...command];
  return ["--no_python", ...command];
}

/** The Python script the command runs, relative to the workspace, when it names one. */
export function scriptOf(command: readonly string[]): string | undefined {
  const args = entryArgs(command);
  const first = args[0];
  return first?.endsWith(".py") ? first : undefined;
}

/** torch 1.x on Python 3.11+: torchrun's default redirects/tee crash (`'NoneType' object has no attribute 'get'`). */
export function needsRedirectsWorkaround(runtime: JobRuntime): boolean {
  const [torchMajor] = runtime.torch.split(".").map(Number);
  const [, pyMinor = 0] = runtime.python.split(".").map((part) => Number.parseInt(part, 10));
  return torchMajor === 1 && pyMinor >= 11;
}

export function torchrunLine(
  job: JobSpec,
  runtime: JobRuntime,
  placement: Placement,
  options: {
    binary?: string[];
    logDir?: string | undefined;
    /** The ranks run another Python than the lock's (Slurm `container: none`): the script decides the workaround. */
    hostPython?: boolean;
  } = {},
): TorchrunLine {
  const notes: string[] = [];
  const argv = [...(options.binary ?? ["torchrun"])];
  const { min, max } = job.nodes;
  if (placement.injected) {
    if (max > 1 || min > 1)
      notes.push("nodes, procs per node, node rank and master come from the operator's PET_* variables");
  } else if (max === 1) {
    argv.push("--standalone", "--nnodes=1");
  } else {
    argv.push(`--nnodes=${min === max ? min : `${min}:${max}`}`);
  }
  if (!placement.injected) argv.push(`--nproc_per_node=${procsOf(job)}`);
  if (job.restarts > 0) argv.push(`--max_restarts=${job.restarts}`);
  if (!placement.injected && max > 1) {
    if (job.rendezvous === "static") {
      if (placement.nodeRank !== undefined) argv.push(`--node_rank=${placement.nodeRank}`);
      argv.push(`--master_addr=${placement.masterAddr}`, `--master_port=${job.port}`);
      notes.push(
        "static rendezvous for a fixed node count (no c10d endpoint to race for, no DNS alias pitfall)",
      );
    } else {
      argv.push(
        "--rdzv_backend=c10d",
        `--rdzv_endpoint=${placement.masterAddr}:${job.port}`,
        `--rdzv_id=${placement.rdzvId}`,
      );
      notes.push("c10d rendezvous because the node count is elastic");
    }
  }
  // torch 1.13 on Python 3.11 crashes unless one stream is redirected and the other teed (2/1 or 1/2; 3/3 crashes too)
  const workaround = !options.hostPython && needsRedirectsWorkaround(runtime);
  if (options.logDir !== undefined) argv.push("--log_dir", options.logDir);
  if (workaround) argv.push("--redirects", "2", "--tee", "1");
  else if (options.logDir !== undefined) argv.push("--redirects", "3", "--tee", "3");
  if (workaround)
    notes.push(
      `torch ${runtime.torch} on Python ${runtime.python}: torchrun gets --redirects 2 --tee 1 (its defaults crash there)`,
    );
  argv.push(...entryArgs(job.command));
  return { argv, notes };
}
