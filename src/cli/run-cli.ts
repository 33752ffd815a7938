/**
 * Runs one CLI invocation: finds the command, parses its flags strictly, runs it
 * and prints the outcome. Exit codes: 0 ok, 1 the operation failed, 2 usage error,
 * 130 interrupted by Ctrl-C (143 by SIGTERM), reported as E_INTERRUPTED.
 * With --json, stdout carries exactly one JSON document, errors included.
 */

import { Readable, type Writable } from "node:stream";
import { parseArgs } from "node:util";
import { nearest } from "../errors/edit-distance.js";
import { isTorchstackError, TorchstackError, UsageError } from "../errors/torchstack-error.js";
import { createReporter } from "../report/reporter.js";
import type { CommandInput, CommandSpec, OptionSpec, OptionSpecs, OptionValue } from "./command.js";
import { renderCommandHelp, renderMainHelp } from "./help.js";
import { commandEntries, findCommand, loadSummaries } from "./registry.js";
import { VERSION } from "./version.js";

export interface CliEnvironment {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Defaults to an empty, non-terminal input. */
  stdin?: Readable;
  stdinIsTTY?: boolean;
  stdout: Writable;
  stdoutIsTTY?: boolean;
  stderr: Writable;
  signal: AbortSignal;
}

const globalOptions: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print JSON" },
  "log-format": { type: "string", description: "text|json" },
  verbose: { type: "boolean", short: "v", description: "debug lines" },
  quiet: { type: "boolean", short: "q", description: "quiet" },
  help: { type: "boolean", short: "h", description: "help" },
};

function toParseArgsOptions(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
}

function parseCommandArgs(
  spec: CommandSpec,
  args: readonly string[],
): { input: CommandInput; global: Record<string, OptionValue> } {
  const dashDash = spec.passThrough ? args.indexOf("--") : -1;
  const own = dashDash >= 0 ? args.slice(0, dashDash) : [...args];
  const rest = dashDash >= 0 ? args.slice(dashDash + 1) : [];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: own,
      options: toParseArgsOptions({ ...globalOptions, ...spec.options }),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      `${spec.name}: ${describeParseError(error)}${flagHint(spec, error)}${dashDashHint(spec, dashDash)}. See \`torchstack ${spec.name} --help\`.`,
    );
  }
  const maxPositionals = spec.positionals?.some((p) => p.variadic)
    ? Number.POSITIVE_INFINITY
    : (spec.positionals?.length ?? 0);
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `${spec.name}: unexpected argument "${parsed.positionals[maxPositionals]}"${dashDashHint(spec, dashDash)}. See \`torchstack ${spec.name} --help\`.`,
    );
  }
  const values = parsed.values as Record<string, OptionValue>;
  return {
    input: { flags: typedFlags(spec.options, values), positionals: parsed.positionals, rest },
    global: values,
  };
}

/**
 * The typed `flags` object: booleans default to false, repeatable flags to [],
 * string flags to their declared default; an empty string value is a usage error.
 */
function typedFlags(options: OptionSpecs, values: Record<string, OptionValue>): CommandInput["flags"] {
  const flags: Record<string, OptionValue> = {};
  for (const [name, option] of Object.entries(options)) {
    const value = values[name];
    if (option.type === "boolean") flags[name] = value === true;
    else if (option.multiple)
      flags[name] = value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
    else if (typeof value === "string" && value.trim() === "")
      throw new UsageError(`--${name} needs a value, got an empty string`);
    else flags[name] = value ?? option.default;
  }
  return flags as CommandInput["flags"];
}

/**
 * Global flags given before the command (`torchstack --json resolve`, `-v lock`)
 * belong to it: they move behind the command name. Anything else before the
 * command is left for the unknown-command error.
 */
function commandFirst(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const name = arg.startsWith("--") ? arg.slice(2).split("=")[0] : undefined;
    const short = /^-[a-zA-Z]$/.test(arg) ? arg.slice(1) : undefined;
    const option = name
      ? globalOptions[name ?? ""]
      : Object.values(globalOptions).find((o) => short !== undefined && o.short === short);
    if (!option || name === "help" || short === "h") break;
    leading.push(arg);
    if (option.type === "string" && !arg.includes("=") && i + 1 < argv.length) leading.push(argv[++i] ?? "");
  }
  if (leading.length === 0 || i >= argv.length) return [...argv];
  const command = argv[i] ?? "";
  const sub = argv[i + 1];
  const words = sub !== undefined && findCommand(`${command} ${sub}`) ? 2 : 1;
  return [...argv.slice(i, i + words), ...leading, ...argv.slice(i + words)];
}

/** "; did you mean --preset?" for an unknown flag that is a typo of one the command has. */
function flagHint(spec: CommandSpec, error: unknown): string {
  const unknown = /^Unknown option '--([^'=]+)'/.exec(error instanceof Error ? error.message : "");
  if (!unknown?.[1]) return "";
  const meant = nearest(unknown[1], Object.keys({ ...globalOptions, ...spec.options }));
  return meant ? `; did you mean --${meant}?` : "";
}

/** For `exec NAME python3 -c …` without `--`: the command's own words belong after `--`. */
function dashDashHint(spec: CommandSpec, dashDash: number): string {
  return spec.passThrough && dashDash < 0
    ? `; put the command to run after --: torchstack ${spec.name} NAME -- CMD [ARG…]`
    : "";
}

/** "; did you mean `torchstack resolve`?" for a command (or sub-command) that is a typo of one. */
function commandHint(asked: string, names: readonly string[]): string {
  const meant = nearest(asked, names);
  return meant ? ` Did you mean \`torchstack ${meant}\`?` : "";
}

/**
 * node:util parseArgs messages, made short: the first sentence only, and the
 * "ambiguous" case (a value that starts with "-") said plainly.
 */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  const ambiguous = /^Option '(-[-\w]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous)
    return `${ambiguous[1]} needs a value; a value that starts with "-" must be written ${ambiguous[1]}=VALUE`;
  return (message.split(/\.\s/)[0] ?? message).replace(/\.+$/, "");
}

/** 130 after SIGINT (Ctrl-C), 143 after SIGTERM: 128 + the signal, as the shell reports a killed command. */
function interruptedExitCode(signal: AbortSignal): number {
  return signal.reason === "SIGTERM" ? 143 : 130;
}

function asInterrupted(error: unknown, command: string): unknown {
  if (isTorchstackError(error) && error.code === "E_INTERRUPTED") return error;
  return new TorchstackError(
    "E_INTERRUPTED",
    `${command} was interrupted and stopped; what it started is cleaned up`,
    {
      remedies: [`run torchstack ${command} again when you want it`],
      cause: error,
    },
  );
}

/** Arguments that belong to torchstack: everything before a bare `--` (the rest is the user's command). */
function ownArguments(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  return end === -1 ? argv : argv.slice(0, end);
}

/**
 * Prints the error: its JSON document with --json, and its lines on stderr. A fix written for any
 * command (`torchstack <command> -f FILE`) names the one the user ran; no fix is printed twice.
 */
function writeError(env: CliEnvironment, json: boolean, error: TorchstackError, command?: string): void {
  const fixes = [
    ...new Set(
      error.remedies.map((r) =>
        command ? r.replaceAll("torchstack <command>", `torchstack ${command}`) : r,
      ),
    ),
  ];
  if (json)
    env.stdout.write(
      `${JSON.stringify({ ok: false, error: { ...error.toJSON(), remedies: fixes } }, null, 2)}\n`,
    );
  const lines = [`torchstack: ${error.message}`];
  if (error.exitCode !== 2) lines[0] = `torchstack: error ${error.code}: ${error.message}`;
  for (const fix of fixes) lines.push(`  fix: ${fix}`);
  env.stderr.write(`${lines.join("\n")}\n`);
}

/**
 * zod compiles a fast path (`new Function`) for each object schema on its first parse. One CLI process
 * parses each document once or a few times, so the compile costs more than it saves (about 20 ms of
 * `job render`). Each schema reads the setting when it is built, so this runs before the command's
 * modules load; results are the same either way.
 */
async function parseSchemasWithoutCompiling(): Promise<void> {
  const { z } = await import("zod");
  z.config({ jitless: true });
}

export async function runCli(env: CliEnvironment): Promise<number> {
  const argv = commandFirst(env.argv);
  const [word, ...afterWord] = argv;
  // A command group (`job render`, `catalog update`) takes two words.
  const grouped = afterWord[0] !== undefined && findCommand(`${word} ${afterWord[0]}`) !== undefined;
  const first = grouped ? `${word} ${afterWord[0]}` : word;
  const args = grouped ? afterWord.slice(1) : afterWord;
  const wantsJson = ownArguments(argv).includes("--json");
  try {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      env.stdout.write(renderMainHelp(VERSION, await loadSummaries(commandEntries)));
      return 0;
    }
    if (first === "--version" || first === "-V") {
      env.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const entry = findCommand(first);
    if (!entry) {
      const group = commandEntries.filter((e) => e.name.startsWith(`${first} `)).map((e) => e.name);
      if (group.length > 0) {
        const asked = args[0] === undefined ? "" : ` has no sub-command "${args[0]}"`;
        const hint = args[0] === undefined ? "" : commandHint(`${first} ${args[0]}`, group);
        throw new UsageError(
          `${first}${asked}: use one of ${group.map((n) => `\`torchstack ${n}\``).join(", ")}.${hint}`,
        );
      }
      const single = commandEntries.map((e) => e.name.split(" ")[0] ?? e.name);
      throw new UsageError(
        `unknown command "${first}".${commandHint(first, [...new Set(single)])} Run \`torchstack --help\` for the list of commands.`,
      );
    }
    await parseSchemasWithoutCompiling();
    const spec = await entry.load();
    const own = ownArguments(args);
    if (own.includes("--help") || own.includes("-h")) {
      env.stdout.write(renderCommandHelp(spec));
      return 0;
    }
    const { input, global: globalFlags } = parseCommandArgs(spec, args);
    const logFormat = globalFlags["log-format"];
    if (logFormat !== undefined && logFormat !== "text" && logFormat !== "json") {
      throw new UsageError(`--log-format must be text or json, got "${String(logFormat)}"`);
    }
    const json = globalFlags.json === true;
    const quiet = globalFlags.quiet === true;
    const reporter = createReporter(env.stderr, {
      format: logFormat === "json" ? "json" : "text",
      verbose: globalFlags.verbose === true,
      quiet,
    });
    const outcome = await spec.run(input, {
      cwd: env.cwd,
      env: env.env,
      stdin: env.stdin ?? Readable.from([]),
      stdinIsTTY: env.stdinIsTTY ?? false,
      stdout: env.stdout,
      stdoutIsTTY: env.stdoutIsTTY ?? false,
      stderr: env.stderr,
      json,
      quiet,
      reporter,
      signal: env.signal,
    });
    if (json && outcome.json !== undefined) env.stdout.write(`${JSON.stringify(outcome.json, null, 2)}\n`);
    if (!json && outcome.text)
      env.stdout.write(outcome.text.endsWith("\n") ? outcome.text : `${outcome.text}\n`);
    // Commands whose way out is Ctrl-C (logs -f, top, dashboard) end cleanly with their own code; a command
    // that fails because of Ctrl-C is E_INTERRUPTED, exit 130, below.
    return outcome.exitCode ?? 0;
  } catch (caught) {
    // Whatever a command failed with after Ctrl-C (a probe killed mid-run, a stream cut) is the interruption.
    const error = env.signal.aborted ? asInterrupted(caught, first ?? "torchstack") : caught;
    if (isTorchstackError(error) && error.code === "E_INTERRUPTED") {
      writeError(env, wantsJson, error, first);
      return interruptedExitCode(env.signal);
    }
    if (isTorchstackError(error)) {
      writeError(env, wantsJson, error, first);
      return error.exitCode;
    }
    const internal = new TorchstackError(
      "E_INTERNAL",
      `internal error: ${error instanceof Error ? error.message : String(error)}`,
      { remedies: ["run again with TORCHSTACK_DEBUG=1 and report the stack trace"] },
    );
    writeError(env, wantsJson, internal);
    if (env.env.TORCHSTACK_DEBUG && error instanceof Error) env.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
