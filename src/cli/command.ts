/**
 * What a CLI command is: its flags, its help text, and a `run` that turns a typed
 * input into an outcome. Commands stay thin: parse flags, call one core function,
 * return `{ json, text }`; main.ts prints it (JSON on stdout with --json, text otherwise).
 */
import type { Writable } from "node:stream";
import type { Reporter } from "../report/reporter.js";

export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  short?: string;
  multiple?: boolean;
  /** Shown in help as `--flag VALUE`. */
  valueName?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export type OptionValue = string | boolean | string[] | undefined;

export interface CommandInput {
  values: Readonly<Record<string, OptionValue>>;
  positionals: readonly string[];
  /** Everything after a bare `--` (for `exec NAME -- CMD…`). */
  rest: readonly string[];
}

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
  /** True when --json was given: stdout carries exactly one JSON document. */
  json: boolean;
  /** Progress and logs, always on stderr. */
  reporter: Reporter;
  /** Aborted on Ctrl-C; long operations must clean up and stop. */
  signal: AbortSignal;
}

export interface CommandOutcome {
  /** The JSON document printed with --json (omit for commands that stream their own output). */
  json?: unknown;
  /** Human-readable result printed without --json. */
  text?: string;
  /** Defaults to 0; `exec` passes the container command's code through. */
  exitCode?: number;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description?: string;
  options: Readonly<Record<string, OptionSpec>>;
  positionals?: readonly PositionalSpec[];
  /** Accept arguments after `--` and hand them over as `rest`. */
  passThrough?: boolean;
  examples?: readonly string[];
  run(input: CommandInput, io: CliIo): Promise<CommandOutcome>;
}

/** Identity helper that gives command definitions their type. */
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
