/**
 * `job run`: renders the job for its target with torchrun's per-rank logs
 * switched on (PET_LOG_DIR inside the workspace, so every container form
 * writes them; LOGLEVEL=INFO so each agent names its folder), writes the
 * rendered files and a record into the job's folder, submits, and with --wait
 * polls the scheduler until the state is final. The local target always runs
 * in the foreground and ends final. A Slurm job with `container: oci` first
 * gets its OCI bundle (the image exported once into the shared workspace).
 * Local ranks run as the workspace owner (as `up` runs environments; the
 * caller itself when it is not root), in a rank folder only they can open.
 * The job's folder in the state folder is 0700 and its files 0600; the saved
 * local script has the job's env values redacted.
 */
import { chmodSync, chownSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { readHardLimits } from "../engine/run/ulimit-fallback.js";
import { type Owner, workspaceOwner } from "../engine/run/workspace-owner.js";
import { TorchstackError } from "../errors/torchstack-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { makeStateFolder } from "../fs/state-dir.js";
import type { RenderJobInput } from "../job/job-types.js";
import { CONTAINER_WORKSPACE } from "../job/job-types.js";
import { procsOf } from "../job/normalize-job.js";
import { renderJob } from "../job/render/render-job.js";
import { localScript } from "../job/render/render-local.js";
import { needsRedirectsWorkaround } from "../job/render/torchrun-args.js";
import type { BackendContext } from "../job/run/job-backend.js";
import { type JobRecord, newJobId, writeJobRecord } from "../job/run/job-record.js";
import { isFinal, type JobStatusReport } from "../job/run/job-state.js";
import { workloadOf } from "../job/run/kubernetes-backend.js";
import { prepareOciBundle } from "../job/run/prepare-oci-bundle.js";
import { workspaceExists } from "./job-check.js";
import { backendFor } from "./job-run-backends.js";
import { capUlimitArgs } from "./job-run-ulimits.js";

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
}

/** The job's torchrun log folder as the host sees it, and as the ranks see it. */
function rankDirs(input: RenderJobInput, id: string): { host: string; inJob: string } | null {
  if (input.target === "kubernetes") return null;
  const relative = join(".torchstack", "jobs", id, "ranks");
  const host = join(input.workspace, relative);
  const inContainer = input.target === "local" || input.job.slurm.container !== "none";
  return { host, inJob: inContainer ? join(CONTAINER_WORKSPACE, relative) : host };
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
/** Who local ranks run as: the workspace owner when torchstack runs as root (as `up` does), else the caller. */
export function localRankOwner(workspace: string, env: NodeJS.ProcessEnv): Pick<Owner, "uid" | "gid"> {
  const uid = process.geteuid?.() ?? 0;
  if (uid === 0) return workspaceOwner(workspace, env);
  return { uid, gid: process.getegid?.() ?? uid };
}

/** The folders under `root` up to `relative`, each made by us given to `owner` (0700 from the job's own on). */
function makeOwnedFolders(
  root: string,
  relative: string,
  owner: Pick<Owner, "uid" | "gid">,
  privateFrom: number,
) {
  let current = root;
  relative.split(sep).forEach((part, index) => {
    current = join(current, part);
    if (existsSync(current)) return;
    mkdirSync(current, { mode: index >= privateFrom ? 0o700 : 0o755 });
    if (process.geteuid?.() === 0) chownSync(current, owner.uid, owner.gid);
  });
}

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
  if (input.target !== "kubernetes" && !workspaceExists(input.workspace))
    throw new TorchstackError(
      "E_JOB_WORKSPACE_MISSING",
      `the workspace ${input.workspace} does not exist: job run does not create it (a mistyped --workspace would run nothing)`,
      {
        remedies: [
          "pass the folder that holds the job's files: --workspace DIR (default: the spec's folder)",
          `or create it first: mkdir -p ${input.workspace}`,
        ],
      },
    );
  if (input.target === "slurm" && input.job.slurm.container === "oci") {
    // Before the job exists: a failed export leaves no job record behind.
    await prepareOciBundle(
      {
        job: input.job,
        workspace: input.workspace,
        imageRef: input.image.ref,
        localTag: input.image.localTag,
        user: input.user,
      },
      { ...ctx, engineCli: ctx.env.TORCHSTACK_DOCKER_CLI || "docker" },
    );
  }
  const id = newJobId(input.job.name, now());
  const dir = makeStateFolder(ctx.env, "jobs", id);
  const ranks = rankDirs(input, id);
  const owner = input.target === "local" ? localRankOwner(input.workspace, ctx.env) : null;
  if (ranks && owner) {
    makeOwnedFolders(input.workspace, join(".torchstack", "jobs", id, "ranks"), owner, 2);
  } else if (ranks) {
    mkdirSync(ranks.host, { recursive: true });
    chmodSync(ranks.host, 0o777); // the ranks run as the image's non-root user
  }
  const launched = owner ? { ...input, user: { ...input.user, uid: owner.uid, gid: owner.gid } } : input;
  let rendered = renderJob(withRankLogs(withJobId(launched, id), ranks?.inJob ?? null));
  if (input.target === "local") {
    const { argv, capped } = capUlimitArgs(rendered.launch, readHardLimits());
    if (capped.length) ctx.progress(`this host cannot raise every limit: ${capped.join(", ")} (as up does)`);
    rendered = { ...rendered, launch: argv };
  }
  const secrets = new Set(Object.keys(input.job.env));
  for (const file of rendered.files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const content =
      input.target === "local" && file.path.endsWith(".local.sh")
        ? localScript(rendered.launch, rendered.launchEnv ?? {}, secrets)
        : file.content;
    writeFileAtomic(path, content, 0o600);
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
    ...(input.target === "kubernetes"
      ? { kubernetes: workloadOf(rendered, input.job.kubernetes.namespace) }
      : {}),
    cancelRequested: false,
    createdAt: now().toISOString(),
    finishedAt: null,
  };
  if (input.target === "local")
    record = { ...record, schedulerId: `torchstack-job-${id}`, state: "RUNNING", reason: null };
  writeJobRecord(ctx.env, record);
  ctx.progress(
    `job ${id}: ${input.target}, ${record.nodes} node(s) × ${record.procsPerNode} rank(s), image ${record.image}`,
  );
  const backend = backendFor(input.target, ctx, input.workspace);
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
