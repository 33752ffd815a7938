/**
 * The Slurm target: `sbatch --parsable` of the rendered script with the output
 * file in the job's folder and srun's node labels on (SLURM_LABELIO, so every
 * line says which node wrote it, in arrival order), `squeue --json` and
 * `scontrol show job` for the state and the scheduler's reason, `scancel` to
 * cancel, and `testOnlySubmit` (`sbatch --test-only`) for `job check`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TorchstackError } from "../../errors/torchstack-error.js";
import type { ProcessRunner } from "../../process/run-process.js";
import { OUTPUT_LIMITS, readHeadTail } from "../diagnose/read-head-tail.js";
import type { BackendContext, JobBackend, SubmitInput, SubmitResult } from "./job-backend.js";
import type { JobRecord } from "./job-record.js";
import type { JobStatusReport } from "./job-state.js";
import { isFinal } from "./job-state.js";
import { slurmLaunch } from "./slurm-launch.js";
import { parseScontrolJob, parseSqueueJson, parseSqueueLine } from "./slurm-state.js";
import { slurmTool } from "./slurm-tools.js";

export interface TestOnlyResult {
  ok: boolean;
  /** The controller's answer: where and when it would start, or why it is rejected. */
  message: string;
}

/** `sbatch --test-only SCRIPT`: the controller's verdict without queueing anything. */
export async function testOnlySubmit(
  run: ProcessRunner,
  env: NodeJS.ProcessEnv,
  script: string,
  cwd: string,
): Promise<TestOnlyResult> {
  const result = await run(slurmTool(env, "sbatch"), ["--test-only", script], {
    cwd,
    env,
    reject: false,
    timeoutMs: 30_000,
  });
  const text = `${result.stderr}\n${result.stdout}`
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const message = (text.find((line) => /error/i.test(line)) ?? text.at(-1) ?? "").replace(
    /^sbatch:\s*(error:\s*)?/,
    "",
  );
  return { ok: result.exitCode === 0 && !result.timedOut, message };
}

export function slurmBackend(ctx: BackendContext, workspace: string): JobBackend {
  const tool = (name: Parameters<typeof slurmTool>[1]) => slurmTool(ctx.env, name);

  async function status(record: JobRecord): Promise<JobStatusReport> {
    const id = record.schedulerId;
    if (!id)
      return { state: record.state, reason: record.reason, stuck: record.stuck, exitCode: record.exitCode };
    // The one job in plain format first (squeue --json lists every job the controller remembers, slowly).
    const line = await ctx.run(tool("squeue"), ["-h", "-t", "all", "-j", id, "-o", "%T|%r"], {
      env: ctx.env,
      reject: false,
      timeoutMs: 30_000,
    });
    const quick = line.exitCode === 0 ? parseSqueueLine(line.stdout) : null;
    if (quick && !isFinal(quick.state)) return quick;
    const squeue = quick
      ? line
      : await ctx.run(tool("squeue"), ["--json"], { env: ctx.env, reject: false, timeoutMs: 30_000 });
    if (!quick && squeue.exitCode === 0) {
      try {
        const report = parseSqueueJson(squeue.stdout, id);
        if (report) return report;
      } catch (cause) {
        throw new TorchstackError(
          "E_JOB_SCHEDULER",
          `squeue --json answered something unreadable: ${String(cause)}`,
          {
            remedies: [`${tool("squeue")} --json | head`],
          },
        );
      }
    }
    const show = await ctx.run(tool("scontrol"), ["show", "job", "-o", id], {
      env: ctx.env,
      reject: false,
      timeoutMs: 30_000,
    });
    const fromShow = show.exitCode === 0 ? parseScontrolJob(show.stdout) : null;
    if (fromShow) return fromShow;
    if (quick) return quick;
    if (squeue.exitCode !== 0 && !/Invalid job id/i.test(show.stderr)) {
      const why = (squeue.stderr || show.stderr).trim().split("\n").at(-1) ?? "";
      throw new TorchstackError("E_JOB_SCHEDULER", `the Slurm controller does not answer: ${why}`, {
        remedies: ["scontrol ping", "check SLURM_CONF and that slurmctld runs"],
      });
    }
    // Aged out of the controller (MinJobAge): the last state this record saw is all there is.
    return {
      state: record.state === "PENDING" || record.state === "RUNNING" ? "FAILED" : record.state,
      reason: record.reason ?? `the controller no longer lists job ${id}`,
      stuck: false,
      exitCode: record.exitCode,
    };
  }

  return {
    submits: true,
    rankFiles: "shared",
    ...slurmLaunch(ctx),
    async submit(input: SubmitInput): Promise<SubmitResult> {
      const script = input.rendered.files[0];
      if (!script) throw new TorchstackError("E_INTERNAL", "the Slurm render produced no batch script");
      const args = [
        "--parsable",
        `--output=${input.record.outputFile}`,
        `--chdir=${workspace}`,
        "--export=ALL",
        join(input.dir, script.path),
      ];
      // srun reads SLURM_LABELIO: every line of every node is prefixed "N: " (the node's task id).
      const env = { ...ctx.env, SLURM_LABELIO: "1" };
      const result = await ctx.run(tool("sbatch"), args, { env, reject: false, timeoutMs: 60_000 });
      const id = /^(\d+)/.exec(result.stdout.trim())?.[1];
      if (result.exitCode !== 0 || !id) {
        const why =
          result.stderr
            .trim()
            .split("\n")
            .at(-1)
            ?.replace(/^sbatch:\s*(error:\s*)?/, "") ?? "";
        throw new TorchstackError(
          "E_JOB_SUBMIT_FAILED",
          `sbatch refused the job: ${why || `exit ${result.exitCode}`}`,
          {
            remedies: [
              `${input.checkCommand ?? "torchstack job check --target slurm"} (runs sbatch --test-only and names the setting)`,
              `sinfo -N -o '%N %t %G %c' (the nodes, their state, GPUs and CPUs)`,
            ],
          },
        );
      }
      ctx.progress(`submitted Slurm job ${id}; output: ${input.record.outputFile}`);
      const report = await status({ ...input.record, schedulerId: id });
      return { schedulerId: id, status: report };
    },
    status,
    async cancel(record: JobRecord): Promise<void> {
      if (!record.schedulerId) return;
      await ctx.run(tool("scancel"), [record.schedulerId], { env: ctx.env, timeoutMs: 30_000 });
    },
    forceStopCommand: (record) => `scancel --signal=KILL ${record.schedulerId}`,
    async output(record: JobRecord): Promise<string> {
      return existsSync(record.outputFile) ? readHeadTail(record.outputFile, OUTPUT_LIMITS) : "";
    },
  };
}
