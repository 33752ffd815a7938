/**
 * What a CLI command is: its flags, its help text, and a `run` that turns a typed
 * input into an outcome. Commands stay thin: parse flags, call one core function,
 * return `{ json, text }`; main.ts prints it (JSON on stdout with --json, text otherwise).
 */
import type { Readable, Writable } from "node:stream";
import type { Reporter } from "../report/reporter.js";

export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  short?: string;
  multiple?: boolean;
  /** Shown in help as `--flag VALUE`. */
  valueName?: string;
  /** The value a string flag takes when it is not given (shown in help). */
  default?: string;
}

/** A command's flags, declared once: name → spec. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed value of one flag, typed from its spec. */
export type FlagValue<S extends OptionSpec> = S["type"] extends "boolean"
  ? boolean
  : S["multiple"] extends true
    ? string[]
    : S["default"] extends string
      ? string
      : string | undefined;

/** Every flag of a command, typed from its declaration: `input.flags.torch`. */
export type Flags<O extends OptionSpecs> = { readonly [K in keyof O]: FlagValue<O[K]> };

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export type OptionValue = string | boolean | string[] | undefined;

export interface CommandInput<O extends OptionSpecs = OptionSpecs> {
  /**
   * The flags typed from the command's declaration, defaults applied, empty strings refused:
   * the only way a command reads its flags (`input.flags.torch`, `input.flags["no-host"]`).
   */
  flags: Flags<O>;
  positionals: readonly string[];
  /** Everything after a bare `--` (for `exec NAME -- CMD…`). */
  rest: readonly string[];
}

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The command's standard input (a pipe, a file or a terminal). */
  stdin: Readable;
  /** True when stdin is a terminal (nothing piped in). */
  stdinIsTTY: boolean;
  stdout: Writable;
  stderr: Writable;
  /** True when stdout is a terminal (colour, live redraws). */
  stdoutIsTTY: boolean;
  /** True when --json was given: stdout carries exactly one JSON document. */
  json: boolean;
  /** True when -q/--quiet was given: progress lines are not shown. */
  quiet: boolean;
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

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** The one-line summary, shown in `torchstack --help` and on top of the command's help. */
  summary: string;
  usage: string;
  description?: string;
  options: O;
  positionals?: readonly PositionalSpec[];
  /** Accept arguments after `--` and hand them over as `rest`. */
  passThrough?: boolean;
  examples?: readonly string[];
  run(input: CommandInput<O>, io: CliIo): Promise<CommandOutcome>;
}

/**
 * Identity helper that types a command from its own option declarations: `input.flags`
 * then has exactly the names it declares, each typed from its spec.
 */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}
