/**
 * Runs one CLI invocation: finds the command, parses its flags strictly, runs it
 * and prints the outcome. Exit codes: 0 ok, 1 the operation failed, 2 usage error.
 * With --json, stdout carries exactly one JSON document, errors included.
 */

import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { isTorchstackError, TorchstackError, UsageError } from "../errors/torchstack-error.js";
import { createReporter } from "../report/reporter.js";
import type { CommandInput, CommandSpec, OptionSpec } from "./command.js";
import { renderCommandHelp, renderMainHelp } from "./help.js";
import { commandEntries, findCommand } from "./registry.js";
import { VERSION } from "./version.js";

export interface CliEnvironment {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
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
): CommandInput & { global: Record<string, unknown> } {
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
      `${spec.name}: ${describeParseError(error)}. See \`torchstack ${spec.name} --help\`.`,
    );
  }
  const maxPositionals = spec.positionals?.some((p) => p.variadic)
    ? Number.POSITIVE_INFINITY
    : (spec.positionals?.length ?? 0);
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `${spec.name}: unexpected argument "${parsed.positionals[maxPositionals]}". See \`torchstack ${spec.name} --help\`.`,
    );
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return { values, positionals: parsed.positionals, rest, global: values };
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

/** Arguments that belong to torchstack: everything before a bare `--` (the rest is the user's command). */
function ownArguments(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  return end === -1 ? argv : argv.slice(0, end);
}

function writeError(env: CliEnvironment, json: boolean, error: TorchstackError): void {
  if (json) env.stdout.write(`${JSON.stringify({ ok: false, error: error.toJSON() }, null, 2)}\n`);
  const lines = [`torchstack: ${error.message}`];
  if (error.exitCode !== 2) lines[0] = `torchstack: error ${error.code}: ${error.message}`;
  for (const remedy of error.remedies) lines.push(`  fix: ${remedy}`);
  env.stderr.write(`${lines.join("\n")}\n`);
}

export async function runCli(env: CliEnvironment): Promise<number> {
  const [first, ...args] = env.argv;
  const wantsJson = ownArguments(env.argv).includes("--json");
  try {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      env.stdout.write(renderMainHelp(VERSION, commandEntries));
      return 0;
    }
    if (first === "--version" || first === "-V") {
      env.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const entry = findCommand(first);
    if (!entry) {
      throw new UsageError(`unknown command "${first}". Run \`torchstack --help\` for the list of commands.`);
    }
    const spec = await entry.load();
    const own = ownArguments(args);
    if (own.includes("--help") || own.includes("-h")) {
      env.stdout.write(renderCommandHelp(spec));
      return 0;
    }
    const input = parseCommandArgs(spec, args);
    const logFormat = input.global["log-format"];
    if (logFormat !== undefined && logFormat !== "text" && logFormat !== "json") {
      throw new UsageError(`--log-format must be text or json, got "${String(logFormat)}"`);
    }
    const json = input.global.json === true;
    const reporter = createReporter(env.stderr, {
      format: logFormat === "json" ? "json" : "text",
      verbose: input.global.verbose === true,
      quiet: input.global.quiet === true,
    });
    const outcome = await spec.run(input, {
      cwd: env.cwd,
      env: env.env,
      stdout: env.stdout,
      stderr: env.stderr,
      json,
      reporter,
      signal: env.signal,
    });
    if (json && outcome.json !== undefined) env.stdout.write(`${JSON.stringify(outcome.json, null, 2)}\n`);
    if (!json && outcome.text)
      env.stdout.write(outcome.text.endsWith("\n") ? outcome.text : `${outcome.text}\n`);
    return outcome.exitCode ?? 0;
  } catch (error) {
    if (isTorchstackError(error)) {
      writeError(env, wantsJson, error);
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
