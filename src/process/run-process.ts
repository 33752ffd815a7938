/**
 * Spawns a process from an argument array (never a shell string) and collects
 * its result. Failures become ProcessError with the command, exit code, signal,
 * stderr and whether it timed out, so callers can explain them.
 */
import { spawn } from "node:child_process";
import { ProcessError } from "../errors/torchstack-error.js";

export interface ProcessResult {
  command: readonly string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** When true (default), a non-zero exit throws ProcessError. */
  reject?: boolean;
  /** Called with each chunk of stderr/stdout as it arrives (for progress). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

/** The effect boundary for spawning; tests pass a fake. */
export type ProcessRunner = (
  file: string,
  args: readonly string[],
  options?: RunProcessOptions,
) => Promise<ProcessResult>;

export const runProcess: ProcessRunner = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const command = [file, ...args];
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      signal: options.signal,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      const notFound = error.code === "ENOENT";
      const why = notFound
        ? `${file} was not found${file.includes("/") ? "" : " on PATH"}`
        : error.code === "EACCES"
          ? `${file} cannot be run: it is a folder or not executable`
          : `${file} could not be started: ${error.message}`;
      reject(
        new ProcessError(
          why,
          { command, exitCode: null, signal: null, stderr, timedOut },
          { code: notFound ? "E_COMMAND_NOT_FOUND" : "E_PROCESS_FAILED", cause: error },
        ),
      );
    });
    child.on("close", (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      const result: ProcessResult = { command, exitCode, signal, stdout, stderr, timedOut };
      if ((options.reject ?? true) && (exitCode !== 0 || timedOut)) {
        const why = timedOut
          ? `timed out after ${options.timeoutMs} ms`
          : signal
            ? `was killed by ${signal}`
            : `exited with ${exitCode}`;
        const lastLine = stderr.trim().split("\n").at(-1) ?? "";
        reject(new ProcessError(`\`${command.join(" ")}\` ${why}${lastLine ? `: ${lastLine}` : ""}`, result));
        return;
      }
      resolve(result);
    });
  });
