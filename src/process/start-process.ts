/**
 * The one place torchstack spawns a program (runProcess collects on top of
 * it): an argument array, never a shell string. startProcess is the streaming
 * mode for processes that outlive a call (a job's launcher, nvidia-smi's
 * `-lms` stream, a browser opener): stdout and stderr arrive as chunks or as
 * whole lines, the end as a promise, and `kill()` sends SIGTERM, then SIGKILL
 * after a grace period. A timeout or the caller's AbortSignal does the same
 * kill. A program that cannot be started rejects `exited` with the same
 * ProcessError runProcess throws; how it ended otherwise is data (see exitError).
 */
import { spawn } from "node:child_process";
import { cancelledBeforeStart, type ProcessExit, startError } from "./process-errors.js";

export interface StartProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (the caller must be allowed to switch). */
  uid?: number;
  gid?: number;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /**
   * Its own process group (default true), so a kill reaches the programs it started too. false keeps it in
   * the caller's group: a terminal's Ctrl-C reaches it as it reaches the caller, and kill() signals it alone.
   */
  detached?: boolean;
  /** "pipe" (default): stdout and stderr reach the listeners; "ignore": both are discarded. */
  output?: "pipe" | "ignore";
  timeoutMs?: number;
  /** Aborting kills the process; its exit then says cancelled. */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL (default 5 s). */
  graceMs?: number;
  /** stderr tail kept for the exit (default 256 KiB). */
  maxStderrBytes?: number;
  /** Output as it arrives, in chunks (utf8). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Output as whole lines without their newline; a last line without one comes when the process ends. */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
}

export interface StartedProcess {
  readonly command: readonly string[];
  /** undefined when it never started. */
  readonly pid: number | undefined;
  /**
   * Resolves once the process has ended and its output has been delivered (a non-zero exit resolves too:
   * exitError turns it into runProcess's error); rejects with ProcessError when it could not be started.
   */
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM (to its group when detached), SIGKILL after the grace period if it is still there. */
  kill(): void;
  /** Lets it run on without keeping this process's event loop alive. */
  unref(): void;
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_MAX_STDERR = 256 * 2 ** 10;

/** Splits chunks into lines; `end` delivers a last line without a newline. */
function lineSplitter(emit: (line: string) => void) {
  let pending = "";
  return {
    push(chunk: string) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) emit(line);
    },
    end() {
      if (pending) emit(pending);
      pending = "";
    },
  };
}

export function startProcess(
  file: string,
  args: readonly string[],
  options: StartProcessOptions = {},
): StartedProcess {
  const command = [file, ...args];
  if (options.signal?.aborted) {
    const exited = Promise.reject(cancelledBeforeStart(command));
    exited.catch(() => {}); // the caller sees it through `exited`; never an unhandled rejection
    return { command, pid: undefined, exited, kill() {}, unref() {} };
  }
  const detached = options.detached ?? true;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    stdio: [
      options.input === undefined ? "ignore" : "pipe",
      options.output ?? "pipe",
      options.output ?? "pipe",
    ],
    detached,
  });
  let stderr = "";
  let timedOut = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const signalProcess = (sig: NodeJS.Signals) => {
    try {
      if (detached && child.pid !== undefined) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      child.kill(sig); // the group is gone already
    }
  };
  const kill = () => {
    if (killTimer || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    signalProcess("SIGTERM");
    killTimer = setTimeout(() => signalProcess("SIGKILL"), options.graceMs ?? DEFAULT_GRACE_MS);
  };
  const onAbort = () => {
    cancelled = true;
    kill();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          kill();
        }, options.timeoutMs);
  const cleanUp = () => {
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    options.signal?.removeEventListener("abort", onAbort);
  };
  const outLines = options.onStdoutLine ? lineSplitter(options.onStdoutLine) : undefined;
  const errLines = options.onStderrLine ? lineSplitter(options.onStderrLine) : undefined;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    options.onStdout?.(chunk);
    outLines?.push(chunk);
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (stderr.length > maxStderr * 2) stderr = stderr.slice(-maxStderr);
    options.onStderr?.(chunk);
    errLines?.push(chunk);
  });
  if (child.stdin) {
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  }
  const exited = new Promise<ProcessExit>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      cleanUp();
      reject(startError(file, error, { command, stderr, timedOut }));
    });
    child.on("close", (exitCode, signal) => {
      cleanUp();
      outLines?.end();
      errLines?.end();
      const tail = stderr.length > maxStderr ? stderr.slice(-maxStderr) : stderr;
      resolve({ command, exitCode, signal, stderr: tail, timedOut, cancelled });
    });
  });
  exited.catch(() => {});
  return {
    command,
    get pid() {
      return child.pid;
    },
    exited,
    kill,
    unref() {
      child.unref();
    },
  };
}
