/**
 * `torchstack job run --target local|slurm|kubernetes [--wait] [--follow]`:
 * renders the spec's job and starts it; local runs in the foreground and exits
 * with the job's status, slurm submits with sbatch, kubernetes applies with
 * kubectl. With --wait the printed state is final and the exit is 0 only for COMPLETED.
 */
import { ERROR_CODES } from "../../errors/error-codes.js";
import { jobCommandLine } from "../../job/job-command-line.js";
import { runProcess } from "../../process/run-process.js";
import { runJob } from "../../workflows/job-run.js";
import { prepareJobRun } from "../../workflows/job-run-prepare.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";
import { backendContext } from "./job-run-context.js";
import { jobTargetOptions, readJobTarget } from "./job-target-options.js";

export const jobRunCommand = defineCommand({
  name: "job run",
  summary: "run the spec's job locally, on Slurm or on Kubernetes",
  usage:
    "job run --target local|slurm|kubernetes [--wait] [--follow] [--no-check] [--replace] [-f SPEC] [--workspace DIR]",
  description:
    "local: torchrun in a fresh container of the environment's image (workspace, GPUs, shm and user as `up` " +
    "sets them), in the foreground; slurm: sbatch of the rendered script; kubernetes: kubectl apply on the " +
    "current context. First the checks `job check` makes: a FAIL stops it before anything starts (--no-check " +
    "skips them); a missing workspace is never created. Prints {ok, id, target, state}; the id works with job status/logs/cancel/diagnose. " +
    "Details: docs/jobs-run.md.",
  options: {
    ...jobTargetOptions,
    file: specFileOption,
    wait: { type: "boolean", description: "wait until the job ends; exit 0 only for COMPLETED" },
    follow: { type: "boolean", description: "copy the job's output to stderr as it arrives" },
    "no-check": {
      type: "boolean",
      description: "skip the checks job check makes (a FAIL otherwise stops the run before anything starts)",
    },
    replace: {
      type: "boolean",
      description:
        "kubernetes: delete a workload of the same name in the namespace first (its pods and logs go with it); " +
        "without it, one that exists stops the run (E_JOB_EXISTS)",
    },
  },
  examples: [
    "torchstack job run --target local",
    "torchstack job run --target slurm --wait --follow",
    "torchstack job run --target kubernetes --flavor indexed-job --json",
  ],
  async run(input, io) {
    const { target, flavor, workspace } = readJobTarget(input);
    const { input: renderInput, specFile } = await prepareJobRun({
      cwd: io.cwd,
      file: input.flags.file,
      target,
      flavor,
      workspace,
      env: io.env,
      reporter: io.reporter,
      run: runProcess,
      check: !input.flags["no-check"],
    });
    const wait = input.flags.wait || target === "local";
    const record = await runJob(renderInput, backendContext(io), {
      wait,
      follow: input.flags.follow,
      onOutput: (text) => io.stderr.write(text),
      signal: io.signal,
      checkCommand: jobCommandLine("check", renderInput, specFile),
      runCommand: jobCommandLine("run", renderInput, specFile),
      replace: input.flags.replace,
    });
    const json = { ok: true, id: record.id, target: record.target, state: record.state };
    const text = `job ${record.id}: ${record.state}${record.reason ? ` (${record.reason})` : ""}`;
    if (io.signal.aborted) {
      // Ctrl-C / SIGTERM: the user stopped it; nothing to diagnose. 130: the shell's code for an interrupt.
      io.reporter.warn(
        record.state === "CANCELLED"
          ? `E_INTERRUPTED: ${text}; nothing of it runs`
          : `E_INTERRUPTED: stopped waiting; job ${record.id} is still ${record.state}: ` +
              `torchstack job status ${record.id}, or stop it: torchstack job cancel ${record.id}`,
      );
      return { json, text, exitCode: 130 };
    }
    if (wait && record.state === "CANCELLED") {
      io.reporter.warn(
        `E_JOB_FAILED: ${text}: it was cancelled (torchstack job cancel), not a failure to diagnose`,
      );
      return { json, text, exitCode: ERROR_CODES.E_JOB_FAILED.exit };
    }
    if (wait && record.state !== "COMPLETED") {
      // The job ran and ended badly: the JSON keeps its shape, the exit code and stderr say so.
      io.reporter.warn(`E_JOB_FAILED: ${text}${record.exitCode !== null ? `, exit ${record.exitCode}` : ""}`);
      io.reporter.warn(
        `see why: torchstack job diagnose ${record.id}; its output: torchstack job logs ${record.id}`,
      );
      return { json, text, exitCode: ERROR_CODES.E_JOB_FAILED.exit };
    }
    return { json, text };
  },
});
