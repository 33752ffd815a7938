/**
 * The commands that work on a recorded job after `job run` returned: status
 * (asks the scheduler unless the state is final, and records what it says),
 * cancel (until the scheduler reports CANCELLED, nothing left running), list,
 * logs (every line with its rank, in arrival order, then what only the rank
 * files hold) and diagnose (of a recorded job or of a log folder).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TorchstackError, UsageError } from "../errors/torchstack-error.js";
import { type DiagnoseJobInput, diagnoseJob, type JobDiagnosis } from "../job/diagnose/diagnose-job.js";
import { missingRanks } from "../job/diagnose/rank-completeness.js";
import { readRankFiles } from "../job/diagnose/rank-files.js";
import { formatStreamLine, parseRankStream, withoutTorchRankPrefix } from "../job/diagnose/rank-stream.js";
import { OUTPUT_LIMITS, readHeadTail } from "../job/diagnose/read-head-tail.js";
import type { BackendContext, JobBackend } from "../job/run/job-backend.js";
import { type JobRecord, listJobRecords, readJobRecord, writeJobRecord } from "../job/run/job-record.js";
import { isFinal } from "../job/run/job-state.js";
import { backendFor } from "./job-run-backends.js";

function backendOf(record: JobRecord, ctx: BackendContext) {
  return backendFor(record.target, ctx, process.cwd());
}

/** How long a submission may take (sbatch and kubectl apply time out after 60 s) before a record without a scheduler id is a failed one. */
const SUBMIT_GRACE_MS = 5 * 60_000;

/** A record that never got a scheduler id: its submission failed or was cut off (older records; `job run` now records the failure). */
function neverSubmitted(record: JobRecord, backend: JobBackend, now = Date.now()): boolean {
  return (
    backend.submits && record.schedulerId === null && now - Date.parse(record.createdAt) > SUBMIT_GRACE_MS
  );
}

export async function jobStatus(id: string, ctx: BackendContext): Promise<JobRecord> {
  let record = readJobRecord(ctx.env, id);
  if (isFinal(record.state)) return record;
  const backend = backendOf(record, ctx);
  if (neverSubmitted(record, backend)) {
    record = {
      ...record,
      state: "FAILED",
      reason: "SubmitFailed: the submission never finished (no scheduler id was recorded)",
      stuck: false,
      finishedAt: new Date().toISOString(),
    };
    writeJobRecord(ctx.env, record);
    return record;
  }
  const report = await backend.status(record);
  record = {
    ...readJobRecord(ctx.env, id),
    state: report.state,
    reason: report.reason,
    stuck: report.stuck,
    exitCode: report.exitCode,
    finishedAt: isFinal(report.state) ? new Date().toISOString() : null,
  };
  writeJobRecord(ctx.env, record);
  return record;
}

export async function cancelJob(id: string, ctx: BackendContext, timeoutMs = 60_000): Promise<JobRecord> {
  let record = readJobRecord(ctx.env, id);
  if (isFinal(record.state)) return record;
  record = { ...record, cancelRequested: true };
  writeJobRecord(ctx.env, record);
  const backend = backendOf(record, ctx);
  if (record.schedulerId === null && backend.submits) {
    // The scheduler never had it: nothing to wait for. (Kubernetes: delete whatever a partial apply made.)
    await backend.cancel(record).catch(() => undefined);
    record = {
      ...record,
      state: "CANCELLED",
      reason: "cancelled before the scheduler had it (no scheduler id)",
      finishedAt: new Date().toISOString(),
    };
    writeJobRecord(ctx.env, record);
    return record;
  }
  await backend.cancel(record);
  const started = Date.now();
  for (;;) {
    const report = await backend.status(record);
    if (isFinal(report.state) || Date.now() - started > timeoutMs) {
      record = {
        ...record,
        state: isFinal(report.state) ? report.state : record.state,
        reason: report.reason,
        exitCode: report.exitCode,
        finishedAt: isFinal(report.state) ? new Date().toISOString() : null,
      };
      break;
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  writeJobRecord(ctx.env, record);
  if (!isFinal(record.state))
    throw new TorchstackError(
      "E_JOB_SCHEDULER",
      `job ${id} was asked to stop but is still ${record.state} after ${timeoutMs / 1000} s`,
      {
        remedies: [`torchstack job status ${id}`, backend.forceStopCommand(record)],
      },
    );
  return record;
}

export function listJobs(ctx: BackendContext): JobRecord[] {
  return listJobRecords(ctx.env);
}

export interface JobLogLine {
  rank: number | null;
  node: number | null;
  text: string;
}

export async function jobLogs(id: string, ctx: BackendContext, rank?: number): Promise<JobLogLine[]> {
  const record = readJobRecord(ctx.env, id);
  const ranks = record.nodes * record.procsPerNode;
  if (rank !== undefined && rank >= ranks)
    throw new UsageError(
      `job ${id} has no rank ${rank}: its ranks are 0-${ranks - 1} (${record.nodes} node(s) × ${record.procsPerNode})`,
      {
        remedies: [`torchstack job logs ${id} --rank ${ranks - 1}`, `every rank: torchstack job logs ${id}`],
      },
    );
  const output = await backendOf(record, ctx).output(record);
  const stream = parseRankStream(output, record.procsPerNode);
  const lines: JobLogLine[] = stream.map(({ rank: r, node, text }) => ({ rank: r, node, text }));
  // Rank files hold what the launcher did not tee (torch 1.13 keeps stderr there): add what the stream lacks.
  const files = record.rankLogDir ? readRankFiles(record.rankLogDir, stream, record.procsPerNode) : [];
  const seen = new Set(stream.filter((l) => l.rank !== null).map((l) => `${l.rank}\u0000${l.text}`));
  for (const file of files.filter((f) => f.stream !== "error").sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    const text = file.text.replace(/\n$/, "").split("\n").map(withoutTorchRankPrefix);
    if (text.every((t) => seen.has(`${file.rank}\u0000${t}`))) continue;
    for (const t of text) lines.push({ rank: file.rank, node: file.node, text: t });
  }
  return rank === undefined ? lines : lines.filter((line) => line.rank === rank);
}

export function formatLogLines(lines: readonly JobLogLine[]): string {
  return lines.map(formatStreamLine).join("\n");
}

/** Rank files still missing after the wait: the diagnosis cannot see those ranks, and says so. */
export interface IncompleteOutput {
  /** Global ranks with no files (null when the nodes of some folders are unknown). */
  missingRanks: number[] | null;
  missing: number;
  expected: number;
  waitedMs: number;
  note: string;
}

export interface DiagnoseWait {
  /** How long to wait for a just-ended job's rank files to appear (default 10 s). */
  waitMs?: number;
  pollMs?: number;
}

/** A job that ended this recently may still have rank files on their way through a shared folder. */
const JUST_ENDED_MS = 60_000;

/**
 * Waits (bounded, only for a job that just ended) until every rank of the job has its folder in the rank log
 * folder, re-reading the launcher output as it goes; returns the output read last and what is still missing.
 */
async function waitForRankFiles(
  record: JobRecord,
  rankFiles: JobBackend["rankFiles"],
  readOutput: () => Promise<string>,
  wait: DiagnoseWait,
): Promise<{ output: string; incomplete: IncompleteOutput | null }> {
  let output = await readOutput();
  // Never submitted (SubmitFailed): no rank ever ran, nothing to wait for or miss.
  if (!record.rankLogDir || rankFiles === "none" || record.schedulerId === null)
    return { output, incomplete: null };
  // Only another node's files can lag (a shared folder); a local job's are on this machine when it ends.
  const justEnded =
    rankFiles === "shared" &&
    record.finishedAt !== null &&
    Date.now() - Date.parse(record.finishedAt) < JUST_ENDED_MS;
  const started = Date.now();
  const waitMs = justEnded ? (wait.waitMs ?? 10_000) : 0;
  for (;;) {
    const lines = parseRankStream(output, record.procsPerNode);
    const missing = missingRanks(record.rankLogDir, lines, record.nodes, record.procsPerNode);
    if (missing.count === 0) return { output, incomplete: null };
    const waitedMs = Date.now() - started;
    if (waitedMs >= waitMs) {
      const which = missing.ranks ? `rank(s) ${missing.ranks.join(", ")}` : `${missing.count} rank(s)`;
      return {
        output,
        incomplete: {
          missingRanks: missing.ranks,
          missing: missing.count,
          expected: missing.expected,
          waitedMs,
          note:
            `no rank files yet for ${which} of ${missing.expected} in ${record.rankLogDir}` +
            `${waitedMs > 0 ? ` after waiting ${Math.round(waitedMs / 1000)} s` : ""}: this diagnosis cannot see ` +
            `${missing.count === 1 ? "that rank" : "those ranks"} (a shared folder not in sync yet, or ranks ` +
            `that never started); run torchstack job diagnose ${record.id} again`,
        },
      };
    }
    await new Promise((done) => setTimeout(done, wait.pollMs ?? 500));
    output = await readOutput();
  }
}

/** Diagnose a recorded job, or a folder holding a launcher output (`output.log`, `*.out`, `*.log`) and torchrun's rank folders. */
export async function diagnoseJobOrFolder(
  target: string,
  ctx: BackendContext,
  wait: DiagnoseWait = {},
): Promise<JobDiagnosis & { id: string | null; state: string | null; incomplete: IncompleteOutput | null }> {
  if (existsSync(target) && statSync(target).isDirectory()) {
    const names = readdirSync(target);
    const outputs = names.filter(
      (name) => /\.(out|log|txt)$/.test(name) && statSync(join(target, name)).isFile(),
    );
    const rankDir = names.includes("ranks") ? join(target, "ranks") : target;
    const recordFile = join(target, "record.json");
    const record = existsSync(recordFile)
      ? (JSON.parse(readFileSync(recordFile, "utf8")) as { procsPerNode?: number })
      : null;
    const output = outputs.map((name) => readHeadTail(join(target, name), OUTPUT_LIMITS)).join("\n");
    const input: DiagnoseJobInput = {
      output,
      rankLogDir: rankDir,
      // Without a record: as many ranks per node as the highest local rank torchrun's prefixes name.
      procsPerNode:
        record?.procsPerNode ??
        Math.max(0, ...[...output.matchAll(/\[default(\d+)\]:/g)].map((m) => Number(m[1]))) + 1,
    };
    if (!input.output.trim() && readRankFiles(rankDir, [], input.procsPerNode).length === 0)
      throw new TorchstackError(
        "E_JOB_NO_LOGS",
        `${target} holds no launcher output (*.out, *.log) and no torchrun rank folders`,
        {
          remedies: ["pass the job id (torchstack job list), or the folder torchrun's --log_dir wrote"],
        },
      );
    return { id: null, state: null, incomplete: null, ...diagnoseJob(input) };
  }
  const record = await jobStatus(target, ctx);
  const backend = backendOf(record, ctx);
  const { output, incomplete } = isFinal(record.state)
    ? await waitForRankFiles(record, backend.rankFiles, () => backend.output(record), wait)
    : { output: await backend.output(record), incomplete: null };
  if (!output.trim() && record.state === "PENDING")
    throw new TorchstackError(
      "E_JOB_NO_LOGS",
      `job ${record.id} has not started, so there is nothing to diagnose yet (${record.reason ?? "PENDING"})`,
      {
        remedies: [`torchstack job status ${record.id}`],
      },
    );
  const diagnosis = diagnoseJob({
    id: record.id,
    output,
    rankLogDir: record.rankLogDir || null,
    procsPerNode: record.procsPerNode,
    scheduler: { state: record.state, reason: record.reason, exitCode: record.exitCode },
  });
  return { id: record.id, state: record.state, incomplete, ...diagnosis };
}
