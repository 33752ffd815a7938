/**
 * Runs a process from an argument array (never a shell string) to its end
 * and collects its result (startProcess, beside it, is the streaming mode). Failures become ProcessError with the command, exit code,
 * signal, a capped tail of stderr and whether it timed out or was cancelled,
 * so callers can explain them. Output is bounded: stdout keeps its first
 * `maxStdoutBytes`, stderr its last `maxStderrBytes`. On a timeout or an
 * abort (Ctrl-C, SIGTERM) the child's process group gets SIGTERM, a grace
 * period to clean up, then SIGKILL; an abort is reported as cancelled (E_PROCESS_CANCELLED), never
 * as a program that could not be started.
 */
import { exitError } from "./process-errors.js";
import { startProcess } from "./start-process.js";

export interface ProcessResult {
  command: readonly string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  /** The last `maxStderrBytes` of stderr. */
  stderr: string;
  timedOut: boolean;
  /** Stopped by the caller's AbortSignal (always set by runProcess; fakes may leave it out). */
  cancelled?: boolean;
  /** stdout went past `maxStdoutBytes` and was cut. */
  stdoutTruncated?: boolean;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** When true (default), a non-zero exit, a timeout or a cancel throws ProcessError. */
  reject?: boolean;
  /** Called with each chunk of stderr/stdout as it arrives (for progress). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Time between SIGTERM and SIGKILL (default 5 s). */
  graceMs?: number;
  /** stdout kept (default 64 MiB); the rest is dropped. */
  maxStdoutBytes?: number;
  /** stderr tail kept (default 256 KiB). */
  maxStderrBytes?: number;
}

/** The effect boundary for spawning; tests pass a fake. */
export type ProcessRunner = (
  file: string,
  args: readonly string[],
  options?: RunProcessOptions,
) => Promise<ProcessResult>;

const DEFAULT_MAX_STDOUT = 64 * 2 ** 20;

export const runProcess: ProcessRunner = async (file, args, options = {}) => {
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  let stdout = "";
  let stdoutTruncated = false;
  const started = startProcess(file, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    ...(options.maxStderrBytes === undefined ? {} : { maxStderrBytes: options.maxStderrBytes }),
    ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
    input: options.input ?? "",
    onStdout: (chunk) => {
      if (stdout.length + chunk.length <= maxStdout) stdout += chunk;
      else if (!stdoutTruncated) {
        stdout += chunk.slice(0, Math.max(0, maxStdout - stdout.length));
        stdoutTruncated = true;
      }
      options.onStdout?.(chunk);
    },
  });
  const exit = await started.exited;
  const result: ProcessResult = {
    command: exit.command,
    exitCode: exit.exitCode,
    signal: exit.signal,
    stdout,
    stderr: exit.stderr,
    timedOut: exit.timedOut,
    cancelled: exit.cancelled,
    stdoutTruncated,
  };
  const error =
    (options.reject ?? true) ? exitError({ ...exit, stdoutTruncated }, options.timeoutMs) : undefined;
  if (error) throw error;
  return result;
};
