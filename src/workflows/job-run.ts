/**
 * `job run`: renders the job for its target with torchrun's per-rank logs
 * switched on (PET_LOG_DIR inside the workspace, so every container form
 * writes them; LOGLEVEL=INFO so each agent names its folder), writes the
 * rendered files and a record into the job's folder, submits, and with --wait
 * polls the scheduler until the state is final. It never asks which target it
 * has: the target's backend prepares what must exist first (the workspace, a
 * Slurm OCI bundle), makes the rank folder and says whom the ranks run as,
 * adjusts the render to this host, says what is saved and what the first
 * record holds, then submits, answers status, output and cancel (the local
 * target runs in the foreground and ends final). The job's folder in the
 * state folder is 0700 and its files 0600.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { makeStateFolder } from "../fs/state-dir.js";
import type { RenderJobInput } from "../job/job-types.js";
import { procsOf } from "../job/normalize-job.js";
import { renderJob } from "../job/render/render-job.js";
import { needsRedirectsWorkaround } from "../job/render/torchrun-args.js";
import type { BackendContext } from "../job/run/job-backend.js";
import { type JobRecord, newJobId, writeJobRecord } from "../job/run/job-record.js";
import { isFinal, type JobStatusReport } from "../job/run/job-state.js";
import { backendFor } from "./job-run-backends.js";

export interface JobRunOptions {
  wait: boolean;
  follow: boolean;
  /** Where the job's output goes with --follow (the terminal's stderr). */
  onOutput?: (text: string) => void;
  now?: () => Date;
  /** A fixed poll interval (tests); by default `pollDelayMs` backs off with the job's age. */
  pollMs?: number;
  /** Stop waiting after this long (the job keeps running; status shows it). */
  waitTimeoutMs?: number;
  signal?: AbortSignal;
  /** The user's own `job check` line, for a refused submission's fix. */
  checkCommand?: string;
  /** The user's own `job run` line, for a fix that reruns it with another flag. */
  runCommand?: string;
  /** Kubernetes: delete a workload of the same name before applying (`--replace`). */
  replace?: boolean;
}

/** The job's id in every rank's environment (TORCHSTACK_JOB_ID: how `top` and the dashboard tie a GPU process to its job). */
export function withJobId(input: RenderJobInput, id: string): RenderJobInput {
  return { ...input, job: { ...input.job, env: { ...input.job.env, TORCHSTACK_JOB_ID: id } } };
}

export function withRankLogs(input: RenderJobInput, inJob: string | null): RenderJobInput {
  if (inJob === null) return input;
  // The agent checks its workers once a second (torch 1.x defaults to every 5 s): a job ends when it ends.
  const env: Record<string, string> = { PET_MONITOR_INTERVAL: "1", ...input.job.env, PET_LOG_DIR: inJob };
  if (input.job.nodes.max > 1) env.LOGLEVEL = "INFO";
  // torch >= 2: tee both streams with rank prefixes (torch 1.13 on Python 3.11 gets --redirects 2 --tee 1 from the render).
  if (!needsRedirectsWorkaround(input.runtime)) Object.assign(env, { PET_TEE: "3", PET_REDIRECTS: "3" });
  return { ...input, job: { ...input.job, env } };
}

/**
 * How long to wait before asking the scheduler again: twice a second for the first 30 s (a short job's end is
 * seen promptly), once a second up to 5 minutes, then every 5 s (a long job does not load the controller).
 */
export function pollDelayMs(elapsedMs: number): number {
  if (elapsedMs < 30_000) return 500;
  if (elapsedMs < 300_000) return 1000;
  return 5000;
}

function applyReport(record: JobRecord, report: JobStatusReport, now: Date): JobRecord {
  return {
    ...record,
    state: report.state,
    reason: report.reason,
    stuck: report.stuck,
    exitCode: report.exitCode,
    finishedAt: isFinal(report.state) ? (record.finishedAt ?? now.toISOString()) : null,
  };
}

/** Records a job whose submission failed as FAILED (SubmitFailed: the scheduler's message) and returns the error to throw. */
function submitFailed(
  env: NodeJS.ProcessEnv,
  record: JobRecord,
  dir: string,
  error: unknown,
  at: Date,
): unknown {
  const why = error instanceof Error ? error.message : String(error);
  writeJobRecord(env, {
    ...record,
    state: "FAILED",
    reason: `SubmitFailed: ${why}`,
    stuck: false,
    finishedAt: at.toISOString(),
  });
  if (!(error instanceof TorchstackError)) return error;
  return new TorchstackError(error.code, error.message, {
    cause: error,
    remedies: [
      ...error.remedies,
      `job ${record.id} is recorded FAILED (SubmitFailed); what was rendered is in ${dir}`,
    ],
  });
}

export async function runJob(
  input: RenderJobInput,
  ctx: BackendContext,
  options: JobRunOptions,
): Promise<JobRecord> {
  const now = options.now ?? (() => new Date());
  const backend = backendFor(input.target, ctx, input.workspace);
  await backend.prepare(input); // before the job exists: a failure leaves no record behind
  const id = newJobId(input.job.name, now());
  const dir = makeStateFolder(ctx.env, "jobs", id);
  const { input: launched, ranks } = backend.placeRanks(input, id);
  const rendered = backend.adjust(renderJob(withRankLogs(withJobId(launched, id), ranks?.inJob ?? null)));
  for (const file of backend.savedFiles(rendered, input)) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileAtomic(path, file.content, 0o600);
  }
  let record: JobRecord = {
    id,
    name: input.job.name,
    target: input.target,
    schedulerId: null,
    state: "PENDING",
    reason: "submitting",
    stuck: false,
    exitCode: null,
    image: rendered.image,
    nodes: input.job.nodes.max,
    procsPerNode: procsOf(input.job),
    outputFile: join(dir, "output.log"),
    rankLogDir: ranks?.host ?? "",
    files: rendered.files.map((file) => file.path),
    ...backend.firstRecord({ id, rendered, input }),
    cancelRequested: false,
    createdAt: now().toISOString(),
    finishedAt: null,
  };
  writeJobRecord(ctx.env, record);
  ctx.progress(
    `job ${id}: ${input.target}, ${record.nodes} node(s) × ${record.procsPerNode} rank(s), image ${record.image}`,
  );
  let submitted: Awaited<ReturnType<typeof backend.submit>>;
  try {
    submitted = await backend.submit({
      rendered,
      record,
      dir,
      follow: options.follow,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.checkCommand ? { checkCommand: options.checkCommand } : {}),
      ...(options.runCommand ? { runCommand: options.runCommand } : {}),
      ...(options.replace ? { replace: true } : {}),
    });
  } catch (error) {
    // Never a phantom PENDING: the record says the submission failed, in the scheduler's words.
    throw submitFailed(ctx.env, record, dir, error, now());
  }
  record = applyReport({ ...record, schedulerId: submitted.schedulerId }, submitted.status, now());
  writeJobRecord(ctx.env, record);
  if (!options.wait || isFinal(record.state)) return record;

  const started = Date.now();
  let shown = 0;
  let last = `${record.state} ${record.reason ?? ""}`;
  while (!isFinal(record.state)) {
    if (options.signal?.aborted) break;
    if (options.waitTimeoutMs !== undefined && Date.now() - started > options.waitTimeoutMs) break;
    const delay = options.pollMs ?? pollDelayMs(Date.now() - started);
    await new Promise((done) => setTimeout(done, delay));
    if (options.follow && options.onOutput) {
      const text = await backend.output(record);
      if (text.length > shown) options.onOutput(text.slice(shown));
      shown = text.length;
    }
    record = applyReport(record, await backend.status(record), now());
    const line = `${record.state} ${record.reason ?? ""}`;
    if (line !== last)
      ctx.progress(`job ${id}: ${record.state}${record.reason ? ` (${record.reason})` : ""}`);
    last = line;
    if (record.stuck) break; // a PENDING that waiting never clears: report it now
  }
  if (options.follow && options.onOutput) {
    const text = await backend.output(record);
    if (text.length > shown) options.onOutput(text.slice(shown));
  }
  writeJobRecord(ctx.env, record);
  return record;
}
