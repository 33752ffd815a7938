/**
 * The record torchstack keeps of each job it started, one folder per id under
 * the state folder (`$TORCHSTACK_STATE_DIR/jobs/ID/`): `record.json` (target,
 * scheduler id, state, where the logs are) next to the launcher's output and
 * the rendered files, so `job list/status/logs/cancel/diagnose` work after the
 * submitting process exits. Written atomically, read back through a schema.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { TorchstackError } from "../../errors/torchstack-error.js";
import { writeFileAtomic } from "../../fs/atomic-write.js";
import { makeStateFolder, stateDir } from "../../fs/state-dir.js";
import { jobTargetSchema } from "../job-types.js";
import { jobStateSchema } from "./job-state.js";

export const jobRecordSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string(),
    target: jobTargetSchema,
    /** The scheduler's handle: the Slurm job id, the Kubernetes object, the local container name. */
    schedulerId: z.string().nullable(),
    state: jobStateSchema,
    reason: z.string().nullable(),
    stuck: z.boolean().default(false),
    exitCode: z.number().int().nullable(),
    image: z.string(),
    nodes: z.number().int().min(1),
    procsPerNode: z.number().int().min(1),
    /** The launcher's merged output (Slurm's output file, the local container's stream). */
    outputFile: z.string(),
    /** torchrun's per-rank log folder on this machine (PET_LOG_DIR as the host sees it). */
    rankLogDir: z.string(),
    /** Rendered files, relative to the job folder (sbatch script, manifests). */
    files: z.array(z.string()),
    kubernetes: z.object({ kind: z.string(), name: z.string(), namespace: z.string() }).strict().optional(),
    cancelRequested: z.boolean().default(false),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .strict();
export type JobRecord = z.infer<typeof jobRecordSchema>;

export function jobsDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), "jobs");
}

export function jobDir(env: NodeJS.ProcessEnv, id: string): string {
  return join(jobsDir(env), id);
}

/** `NAME-YYYYMMDD-HHMMSS-xxxx`: sortable, unique, safe as a file and container name. */
export function newJobId(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "job";
  return `${base}-${stamp}-${randomBytes(2).toString("hex")}`;
}

export function writeJobRecord(env: NodeJS.ProcessEnv, record: JobRecord): void {
  const dir = makeStateFolder(env, "jobs", record.id);
  writeFileAtomic(
    join(dir, "record.json"),
    `${JSON.stringify(jobRecordSchema.parse(record), null, 2)}\n`,
    0o600,
  );
}

export function readJobRecord(env: NodeJS.ProcessEnv, id: string): JobRecord {
  const path = join(jobDir(env, id), "record.json");
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || !existsSync(path)) {
    throw new TorchstackError("E_JOB_NOT_FOUND", `no job "${id}" is recorded in ${jobsDir(env)}`, {
      remedies: ["torchstack job list (the ids torchstack knows)"],
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new TorchstackError("E_JOB_RECORD_CORRUPT", `the record of job ${id} (${path}) is not JSON`, {
      cause,
      remedies: [`remove the folder if the job is gone: rm -r ${jobDir(env, id)}`],
    });
  }
  const parsed = jobRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TorchstackError(
      "E_JOB_RECORD_CORRUPT",
      `the record of job ${id} (${path}) fails its schema: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      { remedies: [`remove the folder if the job is gone: rm -r ${jobDir(env, id)}`] },
    );
  }
  return parsed.data;
}

/** Every readable record, newest first; unreadable folders are skipped (job list must not fail on one). */
export function listJobRecords(env: NodeJS.ProcessEnv): JobRecord[] {
  const dir = jobsDir(env);
  if (!existsSync(dir)) return [];
  const records: JobRecord[] = [];
  for (const id of readdirSync(dir)) {
    try {
      records.push(readJobRecord(env, id));
    } catch {
      // a half-removed or foreign folder: not a job torchstack can report
    }
  }
  return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
