/**
 * Progress and log lines for a user who is waiting. Always on stderr, so stdout
 * stays clean for the --json document. `--log-format json` makes each line a JSON
 * object (`{"level","message","time"}`) for tools that read logs.
 */
import type { Writable } from "node:stream";

export type LogLevel = "step" | "info" | "warn" | "debug";

export interface Reporter {
  step(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface ReporterOptions {
  format: "text" | "json";
  verbose: boolean;
  quiet: boolean;
  now?: () => Date;
}

const textPrefix: Record<LogLevel, string> = { step: "› ", info: "  ", warn: "warning: ", debug: "debug: " };

export function createReporter(stream: Writable, options: ReporterOptions): Reporter {
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, message: string): void => {
    if (level === "debug" && !options.verbose) return;
    if (options.quiet && level !== "warn") return;
    if (options.format === "json") {
      stream.write(`${JSON.stringify({ level, message, time: now().toISOString() })}\n`);
    } else {
      stream.write(`${textPrefix[level]}${message}\n`);
    }
  };
  return {
    step: (m) => write("step", m),
    info: (m) => write("info", m),
    warn: (m) => write("warn", m),
    debug: (m) => write("debug", m),
  };
}

/** A reporter that drops everything: for tests and library use. */
export const silentReporter: Reporter = { step() {}, info() {}, warn() {}, debug() {} };
