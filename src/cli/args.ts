/**
 * Typed readers for parsed flag values. Each one fails with a UsageError (exit 2)
 * naming the flag, the value it got and what it wants, so commands never cast and
 * bad input never reaches the engine or the file system (an empty value, an
 * environment name with a space or a `../`).
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors/torchstack-error.js";
import type { BooleanOptionName, CommandInput, OptionSpecs, StringOptionName } from "./command.js";

export function stringFlag<O extends OptionSpecs>(
  input: CommandInput<O>,
  name: StringOptionName<O>,
): string | undefined {
  const value = input.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`--${name} needs a value`);
  if (value.trim() === "") throw new UsageError(`--${name} needs a value, got an empty string`);
  return value;
}

export function requiredStringFlag<O extends OptionSpecs>(
  input: CommandInput<O>,
  name: StringOptionName<O>,
): string {
  const value = stringFlag(input, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function booleanFlag<O extends OptionSpecs>(
  input: CommandInput<O>,
  name: BooleanOptionName<O>,
): boolean {
  return input.values[name] === true;
}

export function listFlag<O extends OptionSpecs>(input: CommandInput<O>, name: StringOptionName<O>): string[] {
  const value = input.values[name];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [value];
  throw new UsageError(`--${name} needs a value`);
}

export function integerFlag<O extends OptionSpecs>(
  input: CommandInput<O>,
  name: StringOptionName<O>,
  range: { min?: number; max?: number } = {},
): number | undefined {
  const raw = stringFlag(input, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (range.min !== undefined && value < range.min)
    throw new UsageError(`--${name} must be at least ${range.min}, got ${raw}`);
  if (range.max !== undefined && value > range.max)
    throw new UsageError(`--${name} must be at most ${range.max}, got ${raw}`);
  return value;
}

export function positional(input: CommandInput, index: number, name: string): string {
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
export function environmentPositional(input: CommandInput, index: number): string {
  return checkEnvironmentName(positional(input, index, "NAME"), "NAME");
}

/** An optional positional environment name (`up [NAME]`). */
export function optionalEnvironmentPositional(input: CommandInput, index: number): string | undefined {
  const value = input.positionals[index];
  return value === undefined ? undefined : checkEnvironmentName(value, "NAME");
}

/** A flag that names an environment (`--in NAME`). */
export function environmentFlag<O extends OptionSpecs>(
  input: CommandInput<O>,
  name: StringOptionName<O>,
): string | undefined {
  const value = stringFlag(input, name);
  return value === undefined ? undefined : checkEnvironmentName(value, `--${name}`);
}

/**
 * A flag naming a file to write (`-o FILE`): refused up front when it is a folder or
 * its folder is missing, so a long run never fails only at the end, leaving nothing.
 */
export function outputFileFlag<O extends OptionSpecs>(
  input: CommandInput<O>,
  name: StringOptionName<O>,
  cwd: string,
  example: string,
): string | undefined {
  const value = stringFlag(input, name);
  if (value === undefined || value === "-") return value; // "-" is standard output
  const path = resolve(cwd, value);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(
      `--${name} ${value} is a folder, not a file; give a file path such as ${join(value, basename(example))}`,
    );
  }
  if (!existsSync(dirname(path)))
    throw new UsageError(
      `--${name} ${value}: folder ${dirname(path)} does not exist; create it with mkdir -p`,
    );
  return value;
}
