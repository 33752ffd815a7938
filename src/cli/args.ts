/**
 * Checks for argument values a command has read from its typed `input.flags` or its
 * positionals. Each one fails with a UsageError (exit 2) naming the flag, the value
 * it got and what it wants, so bad input never reaches the engine or the file system
 * (a number out of range, an environment name with a space or a `../`). Empty flag
 * values are refused earlier, when the flags are parsed.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors/torchstack-error.js";
import type { CommandInput } from "./command.js";

/** A whole-number flag value (`--tail 50`), checked against its range; undefined when the flag is not given. */
export function wholeNumberValue(
  value: string | undefined,
  flag: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  const number = Number(value);
  if (range.min !== undefined && number < range.min)
    throw new UsageError(`${flag} must be at least ${range.min}, got ${value}`);
  if (range.max !== undefined && number > range.max)
    throw new UsageError(`${flag} must be at most ${range.max}, got ${value}`);
  return number;
}

export function positional(input: Pick<CommandInput, "positionals">, index: number, name: string): string {
  const value = input.positionals[index];
  if (value === undefined) throw new UsageError(`missing argument ${name} (see --help)`);
  return value;
}

/** The rule spec names follow (src/spec/schema.ts), so every environment torchstack made passes it. */
const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

function checkEnvironmentName(value: string, what: string): string {
  if (!ENVIRONMENT_NAME.test(value)) {
    throw new UsageError(
      `${what} "${value}" is not an environment name: use lower-case letters, digits, '.', '_' or '-' (list them with torchstack ps)`,
    );
  }
  return value;
}

/** A required positional that names an environment (NAME in `down NAME`, `urls NAME` …). */
export function environmentPositional(input: Pick<CommandInput, "positionals">, index: number): string {
  return checkEnvironmentName(positional(input, index, "NAME"), "NAME");
}

/** An optional positional environment name (`up [NAME]`). */
export function optionalEnvironmentPositional(
  input: Pick<CommandInput, "positionals">,
  index: number,
): string | undefined {
  const value = input.positionals[index];
  return value === undefined ? undefined : checkEnvironmentName(value, "NAME");
}

/** A flag value that names an environment (`--in NAME`); undefined when the flag is not given. */
export function environmentNameValue(value: string | undefined, flag: string): string | undefined {
  return value === undefined ? undefined : checkEnvironmentName(value, flag);
}

/**
 * A flag naming a file to write (`-o FILE`): refused up front when it is a folder or
 * its folder is missing, so a long run never fails only at the end, leaving nothing.
 */
export function outputFileValue(
  value: string | undefined,
  flag: string,
  cwd: string,
  example: string,
): string | undefined {
  if (value === undefined || value === "-") return value; // "-" is standard output
  const path = resolve(cwd, value);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(
      `${flag} ${value} is a folder, not a file; give a file path such as ${join(value, basename(example))}`,
    );
  }
  if (!existsSync(dirname(path)))
    throw new UsageError(`${flag} ${value}: folder ${dirname(path)} does not exist; create it with mkdir -p`);
  return value;
}
