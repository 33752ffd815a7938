/**
 * The local target: runs the rendered `docker run … torchrun …` in the
 * foreground under a container name made from the job id, copies its output
 * (stdout and stderr in arrival order, each line labelled "0: " as node 0) to
 * the job's output file and, with --follow, to the terminal, and reports the
 * container's exit as the job's state. `job cancel` removes the container.
 */
import { createWriteStream, existsSync } from "node:fs";
import { DOCKER_ON_PATH, dockerCli } from "../../engine/docker-cli.js";
import { TorchstackError } from "../../errors/torchstack-error.js";
import { startProcess } from "../../process/start-process.js";
import { OUTPUT_LIMITS, readHeadTail } from "../diagnose/read-head-tail.js";
import type { BackendContext, JobBackend, SubmitInput, SubmitResult } from "./job-backend.js";
import { type JobRecord, readJobRecord } from "./job-record.js";
import type { JobStatusReport } from "./job-state.js";
import { lineLabeller } from "./line-labeller.js";
import { localLaunch } from "./local-launch.js";

/** The container name of a local job: unique per id, so two runs of one spec never collide. */
export function localContainerName(id: string): string {
  return `torchstack-job-${id}`;
}

/** The rendered argv with the container named after the job id. */
export function withContainerName(argv: readonly string[], name: string): string[] {
  const out = [...argv];
  const at = out.indexOf("--name");
  if (at >= 0 && at + 1 < out.length) out[at + 1] = name;
  else out.splice(out.indexOf("run") + 1, 0, "--name", name);
  return out;
}

function exitReport(code: number | null, signal: string | null, cancelled: boolean): JobStatusReport {
  if (cancelled)
    return { state: "CANCELLED", reason: "cancelled by job cancel", stuck: false, exitCode: code };
  if (code === 0) return { state: "COMPLETED", reason: null, stuck: false, exitCode: 0 };
  const reason = signal
    ? `the launcher was killed by ${signal}`
    : code === 125
      ? "docker could not start the container"
      : "NonZeroExitCode";
  return { state: "FAILED", reason, stuck: false, exitCode: code ?? 1 };
}

export function localBackend(ctx: BackendContext): JobBackend {
  const engineCli = dockerCli("jobs", ctx.env);
  return {
    submits: false,
    rankFiles: "here",
    ...localLaunch(ctx),
    // the launcher runs from the start, under the container name
    firstRecord: ({ id }) => ({ schedulerId: localContainerName(id), state: "RUNNING", reason: null }),
    submit(input: SubmitInput): Promise<SubmitResult> {
      const name = localContainerName(input.record.id);
      const [program, ...args] = withContainerName(input.rendered.launch, name);
      const file = program === DOCKER_ON_PATH ? engineCli : (program ?? engineCli);
      const out = createWriteStream(input.record.outputFile, { flags: "a", mode: 0o600 });
      const label = lineLabeller("0", (line) => {
        out.write(line);
        if (input.follow) input.onOutput?.(line);
      });
      const env = { ...ctx.env, ...input.rendered.launchEnv }; // the job's values: here, never in argv
      // the caller's process group, as a foreground program: a terminal's Ctrl-C reaches docker run too
      const launcher = startProcess(file, args, {
        env,
        detached: false,
        onStdout: (chunk) => label.push("out", chunk),
        onStderr: (chunk) => label.push("err", chunk),
      });
      let interrupted = false;
      const stop = () => {
        interrupted = true;
        void ctx.run(engineCli, ["rm", "--force", name], {
          env: ctx.env,
          reject: false,
          timeoutMs: 30_000,
        });
      };
      input.signal?.addEventListener("abort", stop, { once: true });
      return launcher.exited.then(
        ({ exitCode, signal }) => {
          label.flush();
          return new Promise<SubmitResult>((resolve) =>
            out.end(() => {
              let cancelled = false;
              try {
                cancelled = readJobRecord(ctx.env, input.record.id).cancelRequested;
              } catch {
                // the record went away: report what the process said
              }
              input.signal?.removeEventListener("abort", stop);
              const status = exitReport(exitCode, signal, cancelled || interrupted);
              resolve({
                schedulerId: name,
                status: interrupted ? { ...status, reason: "interrupted (Ctrl-C or SIGTERM)" } : status,
              });
            }),
          );
        },
        (error: unknown) => {
          out.end();
          input.signal?.removeEventListener("abort", stop);
          const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
          const why = cause instanceof Error ? cause.message : String(cause);
          throw new TorchstackError("E_JOB_SUBMIT_FAILED", `${file} could not be started: ${why}`, {
            cause,
            remedies: ["torchstack doctor (is the container engine installed and running?)"],
          });
        },
      );
    },
    async status(record: JobRecord): Promise<JobStatusReport> {
      if (record.state !== "RUNNING" && record.state !== "PENDING")
        return { state: record.state, reason: record.reason, stuck: record.stuck, exitCode: record.exitCode };
      const inspect = await ctx.run(
        engineCli,
        ["inspect", "--format", "{{.State.Status}}", localContainerName(record.id)],
        {
          env: ctx.env,
          reject: false,
          timeoutMs: 15_000,
        },
      );
      const running = inspect.exitCode === 0 && /running|created/.test(inspect.stdout);
      if (running) return { state: "RUNNING", reason: null, stuck: false, exitCode: null };
      return {
        state: record.cancelRequested ? "CANCELLED" : "FAILED",
        reason: record.cancelRequested
          ? "cancelled by job cancel"
          : "the launching torchstack process ended before the job did",
        stuck: false,
        exitCode: null,
      };
    },
    async cancel(record: JobRecord): Promise<void> {
      await ctx.run(engineCli, ["rm", "--force", localContainerName(record.id)], {
        env: ctx.env,
        reject: false,
        timeoutMs: 30_000,
      });
    },
    forceStopCommand: (record) => `docker rm --force ${localContainerName(record.id)}`,
    async output(record: JobRecord): Promise<string> {
      return existsSync(record.outputFile) ? readHeadTail(record.outputFile, OUTPUT_LIMITS) : "";
    },
  };
}
