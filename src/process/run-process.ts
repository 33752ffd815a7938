/**
 * Spawns a process from an argument array (never a shell string) and collects
 * its result. Failures become ProcessError with the command, exit code,
 * signal, a capped tail of stderr and whether it timed out or was cancelled,
 * so callers can explain them. Output is bounded: stdout keeps its first
 * `maxStdoutBytes`, stderr its last `maxStderrBytes`. On a timeout or an
 * abort (Ctrl-C, SIGTERM) the child's process group gets SIGTERM, a grace
 * period to clean up, then SIGKILL; an abort is reported as cancelled (E_PROCESS_CANCELLED), never
 * as a program that could not be started.
 */
import { spawn } from "node:child_process";
import { ProcessError } from "../errors/torchstack-error.js";

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

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_MAX_STDOUT = 64 * 2 ** 20;
const DEFAULT_MAX_STDERR = 256 * 2 ** 10;

function startError(file: string, error: NodeJS.ErrnoException): { why: string; notFound: boolean } {
  const notFound = error.code === "ENOENT";
  const why = notFound
    ? `${file} was not found${file.includes("/") ? "" : " on PATH"}`
    : error.code === "EACCES"
      ? `${file} cannot be run: it is a folder or not executable`
      : `${file} could not be started: ${error.message}`;
  return { why, notFound };
}

export const runProcess: ProcessRunner = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const command = [file, ...args];
    const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
    const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
    if (options.signal?.aborted) {
      const result = { command, exitCode: null, signal: null, stderr: "", timedOut: false };
      reject(
        new ProcessError(`\`${command.join(" ")}\` was cancelled before it started`, result, {
          code: "E_PROCESS_CANCELLED",
          details: { cancelled: true },
        }),
      );
      return;
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      // its own process group, so the signals reach the programs it started too
      detached: true,
    });
    let stdout = "";
    let stdoutTruncated = false;
    let stderr = "";
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig); // the group is gone already
      }
    };
    const terminate = () => {
      if (killTimer || child.exitCode !== null || child.signalCode !== null) return;
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => signalGroup("SIGKILL"), options.graceMs ?? DEFAULT_GRACE_MS);
    };
    const onAbort = () => {
      cancelled = true;
      terminate();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            terminate();
          }, options.timeoutMs);
    const cleanUp = () => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length + chunk.length <= maxStdout) stdout += chunk;
      else if (!stdoutTruncated) {
        stdout += chunk.slice(0, Math.max(0, maxStdout - stdout.length));
        stdoutTruncated = true;
      }
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > maxStderr * 2) stderr = stderr.slice(-maxStderr);
      options.onStderr?.(chunk);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    child.on("error", (error: NodeJS.ErrnoException) => {
      cleanUp();
      const { why, notFound } = startError(file, error);
      reject(
        new ProcessError(
          why,
          { command, exitCode: null, signal: null, stderr, timedOut },
          { code: notFound ? "E_COMMAND_NOT_FOUND" : "E_PROCESS_FAILED", cause: error },
        ),
      );
    });
    child.on("close", (exitCode, signal) => {
      cleanUp();
      const tail = stderr.length > maxStderr ? stderr.slice(-maxStderr) : stderr;
      const result: ProcessResult = {
        command,
        exitCode,
        signal,
        stdout,
        stderr: tail,
        timedOut,
        cancelled,
        stdoutTruncated,
      };
      if ((options.reject ?? true) && (exitCode !== 0 || timedOut || cancelled)) {
        const why = cancelled
          ? "was cancelled (Ctrl-C or SIGTERM)"
          : timedOut
            ? `timed out after ${options.timeoutMs} ms`
            : signal
              ? `was killed by ${signal}`
              : `exited with ${exitCode}`;
        const lastLine = tail.trim().split("\n").at(-1) ?? "";
        reject(
          new ProcessError(
            `\`${command.join(" ")}\` ${why}${lastLine && !cancelled ? `: ${lastLine}` : ""}`,
            result,
            {
              ...(cancelled || timedOut ? { code: "E_PROCESS_CANCELLED" as const } : {}),
              details: { cancelled, timedOut, stdoutTruncated },
            },
          ),
        );
        return;
      }
      resolve(result);
    });
  });
