/**
 * How a process that failed is explained, the same for a collected run
 * (runProcess) and a streamed one (startProcess): a program that could not be
 * started (missing, a folder, not executable), one cancelled before it
 * started, and one that exited non-zero, was killed, timed out or was
 * cancelled, each a ProcessError keeping the command, exit code, signal and
 * stderr tail.
 */
import { ProcessError } from "../errors/torchstack-error.js";

/** How a started process ended. */
export interface ProcessExit {
  command: readonly string[];
  exitCode: number | null;
  signal: string | null;
  /** The last `maxStderrBytes` of stderr. */
  stderr: string;
  timedOut: boolean;
  /** Stopped by the caller's AbortSignal. */
  cancelled: boolean;
}

/** spawn's ENOENT / EACCES / other errno as a sentence naming the program. */
export function startError(
  file: string,
  error: NodeJS.ErrnoException,
  at: Pick<ProcessExit, "command" | "stderr" | "timedOut">,
): ProcessError {
  const notFound = error.code === "ENOENT";
  const why = notFound
    ? `${file} was not found${file.includes("/") ? "" : " on PATH"}`
    : error.code === "EACCES"
      ? `${file} cannot be run: it is a folder or not executable`
      : `${file} could not be started: ${error.message}`;
  return new ProcessError(
    why,
    { command: at.command, exitCode: null, signal: null, stderr: at.stderr, timedOut: at.timedOut },
    { code: notFound ? "E_COMMAND_NOT_FOUND" : "E_PROCESS_FAILED", cause: error },
  );
}

export function cancelledBeforeStart(command: readonly string[]): ProcessError {
  const result = { command, exitCode: null, signal: null, stderr: "", timedOut: false };
  return new ProcessError(`\`${command.join(" ")}\` was cancelled before it started`, result, {
    code: "E_PROCESS_CANCELLED",
    details: { cancelled: true },
  });
}

/** A non-zero exit, a kill by signal, a timeout or a cancel as an error (undefined for a clean exit 0). */
export function exitError(
  exit: ProcessExit & { stdoutTruncated?: boolean },
  timeoutMs?: number,
): ProcessError | undefined {
  const { exitCode, signal, timedOut, cancelled } = exit;
  if (exitCode === 0 && !timedOut && !cancelled) return undefined;
  const why = cancelled
    ? "was cancelled (Ctrl-C or SIGTERM)"
    : timedOut
      ? `timed out after ${timeoutMs} ms`
      : signal
        ? `was killed by ${signal}`
        : `exited with ${exitCode}`;
  const lastLine = exit.stderr.trim().split("\n").at(-1) ?? "";
  return new ProcessError(
    `\`${exit.command.join(" ")}\` ${why}${lastLine && !cancelled ? `: ${lastLine}` : ""}`,
    exit,
    {
      ...(cancelled || timedOut ? { code: "E_PROCESS_CANCELLED" as const } : {}),
      details: { cancelled, timedOut, stdoutTruncated: exit.stdoutTruncated ?? false },
    },
  );
}
