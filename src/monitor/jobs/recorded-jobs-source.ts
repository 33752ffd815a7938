/**
 * The jobs panel fed by the job capability's own records (`$TORCHSTACK_STATE_DIR/jobs/ID/record.json`,
 * the same ones `job list` and `job status` read): the newest jobs with their
 * target, state and reason, their ranks (nodes × processes per node, numbered
 * as torchrun numbers them), and for a failed job the `job diagnose` reading of
 * its launcher output and rank files (root-cause rank and findings), computed
 * once per job. `refresh` asks the scheduler for an unfinished job's state
 * (the CLI passes `job status`'s workflow); without it the recorded state shows.
 * With `diagnose` (the CLI passes a child process under a time budget) the
 * diagnosis runs off the event loop: the job shows without it until it is ready.
 */
import { existsSync } from "node:fs";
import { diagnoseJob } from "../../job/diagnose/diagnose-job.js";
import { OUTPUT_LIMITS, readHeadTail } from "../../job/diagnose/read-head-tail.js";
import { type JobRecord, listJobRecords } from "../../job/run/job-record.js";
import { isFinal } from "../../job/run/job-state.js";
import type { JobDiagnoser } from "./child-diagnoser.js";
import { type JobDiagnosisDoc, type JobSummary, summarizeJob } from "./job-summary.js";
import type { JobsSource } from "./jobs-source.js";

export interface RecordedJobsOptions {
  env: NodeJS.ProcessEnv;
  /** Asks the job's scheduler for its current state (and records it), as `job status` does. */
  refresh?: (id: string) => Promise<JobRecord>;
  /** At most this many jobs, newest first (default 8). */
  limit?: number;
  /** How long a refreshed state is kept before asking the scheduler again (default 15 s). */
  refreshEveryMs?: number;
  /** Diagnoses a failed job away from the caller's event loop (default: in-process, synchronously). */
  diagnose?: JobDiagnoser;
}

export function diagnoseRecord(record: JobRecord): JobDiagnosisDoc | null {
  if (record.state !== "FAILED") return null;
  try {
    const output = existsSync(record.outputFile) ? readHeadTail(record.outputFile, OUTPUT_LIMITS) : "";
    const diagnosis = diagnoseJob({
      id: record.id,
      output,
      rankLogDir: record.rankLogDir || null,
      procsPerNode: record.procsPerNode,
      scheduler: { state: record.state, reason: record.reason, exitCode: record.exitCode },
    });
    return { rootCause: diagnosis.rootCause, findings: diagnosis.findings.map((f) => ({ ...f })) };
  } catch {
    return null;
  }
}

/** Host names by node index, where the diagnosis saw a rank on a named node. */
function nodeNames(record: JobRecord, diagnosis: JobDiagnosisDoc | null): Map<number, string> {
  const names = new Map<number, string>();
  const seen = [diagnosis?.rootCause, ...(diagnosis?.findings ?? [])];
  for (const entry of seen) {
    const rank = entry?.rank;
    const node = entry && "node" in entry ? entry.node : undefined;
    if (typeof rank === "number" && typeof node === "string" && node)
      names.set(Math.floor(rank / record.procsPerNode), node);
  }
  return names;
}

export function summarizeRecord(record: JobRecord, diagnosis: JobDiagnosisDoc | null): JobSummary {
  const names = nodeNames(record, diagnosis);
  const ranks = Array.from({ length: record.nodes * record.procsPerNode }, (_, rank) => {
    const index = Math.floor(rank / record.procsPerNode);
    return { rank, node: names.get(index) ?? `node ${index}`, state: record.state };
  });
  return summarizeJob(
    {
      id: record.id,
      name: record.name,
      target: record.target,
      schedulerId: record.schedulerId,
      state: record.state,
      reason: record.reason,
      submittedAt: record.createdAt,
      ranks,
    },
    diagnosis,
  );
}

export function recordedJobsSource(options: RecordedJobsOptions): JobsSource {
  const diagnoses = new Map<string, JobDiagnosisDoc | null>();
  const refreshed = new Map<string, { at: number; record: JobRecord }>();
  const every = options.refreshEveryMs ?? 15_000;
  const current = async (record: JobRecord): Promise<JobRecord> => {
    if (!options.refresh || isFinal(record.state)) return record;
    const last = refreshed.get(record.id);
    if (last && Date.now() - last.at < every) return last.record;
    const fresh = await options.refresh(record.id).catch(() => record);
    refreshed.set(record.id, { at: Date.now(), record: fresh });
    return fresh;
  };
  return {
    description: "job records in the state folder",
    list: async () => {
      let records: JobRecord[];
      try {
        records = listJobRecords(options.env).slice(0, options.limit ?? 8);
      } catch {
        return [];
      }
      const fresh = await Promise.all(records.map(current));
      return fresh.map((record) => {
        if (record.state === "FAILED" && !diagnoses.has(record.id)) {
          const diagnose = options.diagnose;
          if (diagnose) {
            diagnoses.set(record.id, null); // once per job; shown when ready
            void diagnose(record).then(
              (doc) => diagnoses.set(record.id, doc),
              () => {},
            );
          } else diagnoses.set(record.id, diagnoseRecord(record));
        }
        return summarizeRecord(record, diagnoses.get(record.id) ?? null);
      });
    },
  };
}
