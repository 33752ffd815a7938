/**
 * Typed readers for parsed flag values. Each one fails with a UsageError (exit 2)
 * naming the flag, so commands never cast.
 */
import { UsageError } from "../errors.js";
import type { CommandInput } from "./command.js";

export function stringFlag(input: CommandInput, name: string): string | undefined {
  const value = input.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requiredStringFlag(input: CommandInput, name: string): string {
  const value = stringFlag(input, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function booleanFlag(input: CommandInput, name: string): boolean {
  return input.values[name] === true;
}

export function listFlag(input: CommandInput, name: string): string[] {
  const value = input.values[name];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [value];
  throw new UsageError(`--${name} needs a value`);
}

export function integerFlag(
  input: CommandInput,
  name: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  const raw = stringFlag(input, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (range.min !== undefined && value < range.min)
    throw new UsageError(`--${name} must be at least ${range.min}`);
  if (range.max !== undefined && value > range.max)
    throw new UsageError(`--${name} must be at most ${range.max}`);
  return value;
}

export function positional(input: CommandInput, index: number, name: string): string {
  const value = input.positionals[index];
  if (value === undefined) throw new UsageError(`missing argument ${name}`);
  return value;
}
