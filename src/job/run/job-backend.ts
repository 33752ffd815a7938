/**
 * The one interface every job target implements, so `job run` never asks
 * which target it has: prepare what must exist before the job does, make the
 * job's rank log folder (and say whom the ranks run as), adjust the render to
 * this host, say what is saved of each rendered file and what the first record
 * holds, then submit what was rendered, ask the scheduler for the state,
 * cancel, and read the raw launcher output `job logs` and `job diagnose`
 * parse. Backends spawn through the process runner and take env as a
 * parameter, so tests run them against real schedulers or a stand-in program.
 */
import type { ProcessRunner } from "../../process/run-process.js";
import type { RenderedFile, RenderedJob, RenderJobInput } from "../job-types.js";
import type { JobRecord } from "./job-record.js";
import type { JobStatusReport } from "./job-state.js";

export interface BackendContext {
  env: NodeJS.ProcessEnv;
  run: ProcessRunner;
  /** Progress for the user (stderr). */
  progress: (line: string) => void;
}

export interface SubmitInput {
  rendered: RenderedJob;
  record: JobRecord;
  /** The job's folder in the state dir: the rendered files are written here first. */
  dir: string;
  /** Copy the job's output to the user's terminal as it arrives (local, --follow). */
  follow: boolean;
  /** The job's output as it arrives (local target). */
  onOutput?: (chunk: string) => void;
  /** Ctrl-C / SIGTERM of the foreground run: the local job's container is removed. */
  signal?: AbortSignal;
  /** The user's own `job check` line (their target, flavor and spec), for a refused submission's fix. */
  checkCommand?: string;
  /** The user's own `job run` line, for a fix that reruns it with another flag. */
  runCommand?: string;
  /** Kubernetes: delete a workload of the same name first (`job run --replace`). */
  replace?: boolean;
}

export interface SubmitResult {
  schedulerId: string;
  status: JobStatusReport;
}

/** The job's torchrun log folder as this machine sees it (`host`) and as the ranks see it (`inJob`). */
export interface RankFolder {
  host: string;
  inJob: string;
}

/** The record's fields a target knows before it submits (the local job runs under its container name at once). */
export type FirstRecordFields = Partial<Pick<JobRecord, "schedulerId" | "state" | "reason" | "kubernetes">>;

export interface JobBackend {
  /** false: the job starts in the foreground with its id known at once (local); true: a scheduler gives the id. */
  readonly submits: boolean;
  /** Where the ranks' torchrun files are: nowhere here, on this machine, or in a shared folder other nodes fill late. */
  readonly rankFiles: "none" | "here" | "shared";
  /** Before the job exists (no record, no folder): a failure here leaves nothing behind. */
  prepare(input: RenderJobInput): Promise<void>;
  /**
   * Makes job `id`'s rank log folder (null: the target keeps no rank files here) and returns the input to render,
   * with the user the ranks run as.
   */
  placeRanks(input: RenderJobInput, id: string): { input: RenderJobInput; ranks: RankFolder | null };
  /** The rendered job as this host launches it. */
  adjust(rendered: RenderedJob): RenderedJob;
  /** What is saved in the job's folder for each rendered file (same paths; written private, 0600). */
  savedFiles(rendered: RenderedJob, input: RenderJobInput): RenderedFile[];
  firstRecord(job: { id: string; rendered: RenderedJob; input: RenderJobInput }): FirstRecordFields;
  submit(input: SubmitInput): Promise<SubmitResult>;
  status(record: JobRecord): Promise<JobStatusReport>;
  cancel(record: JobRecord): Promise<void>;
  /** The target's own command that stops the job for good, with its real id (when cancel gives up). */
  forceStopCommand(record: JobRecord): string;
  /** The launcher's raw output so far (every node's lines, labelled by node where the target does). */
  output(record: JobRecord): Promise<string>;
}

/** What a target does before it submits (each backend's own file composes them with submit, status …). */
export type JobLaunchSteps = Pick<
  JobBackend,
  "prepare" | "placeRanks" | "adjust" | "savedFiles" | "firstRecord"
>;
