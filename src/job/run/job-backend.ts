/**
 * The one interface every job target implements: submit what was rendered,
 * ask the scheduler for the state, cancel, and read the raw launcher output
 * `job logs` and `job diagnose` parse. Backends spawn through a ProcessRunner
 * and take env as a parameter, so tests run them against real schedulers or
 * a stand-in program.
 */
import type { ProcessRunner } from "../../process/run-process.js";
import type { RenderedJob } from "../job-types.js";
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
}

export interface SubmitResult {
  schedulerId: string;
  status: JobStatusReport;
}

export interface JobBackend {
  submit(input: SubmitInput): Promise<SubmitResult>;
  status(record: JobRecord): Promise<JobStatusReport>;
  cancel(record: JobRecord): Promise<void>;
  /** The launcher's raw output so far (every node's lines, labelled by node where the target does). */
  output(record: JobRecord): Promise<string>;
}
