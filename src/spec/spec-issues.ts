/**
 * Turns zod validation issues into SpecErrors a user can act on: the file and
 * line of the key, the key path, what is wrong, and the fix — the nearest known
 * key for a typo, the allowed values for an enum, the expected form otherwise.
 */
import { z } from "zod";
import { nearest } from "../errors/edit-distance.js";
import { SpecError } from "../errors/torchstack-error.js";
import { specSchema } from "./schema.js";
import { formatPath, type KeyPath } from "./yaml-source.js";

/** Where a key path is written (the child file, or the parent it extends). */
export type Locate = (path: KeyPath) => { file: string; line: number | undefined };

/** Plain-words description of forms that a union accepts, by key. */
const FORMS: Record<string, string> = {
  jupyter: "true, false, or a mapping with port and lab",
  ssh: "true, false, or a mapping with port and authorizedKeys",
  tensorboard: "true, false, or a mapping with port and logdir",
  vscode: "true, false, or a mapping with port",
  gpus: 'all, none, a count such as 2, or indices/UUIDs such as "0,1"',
  cuda: "auto, cpu or a CUDA version such as 12.8",
  base: "ubuntu-22.04, ubuntu-24.04, debian-12, debian-13 or image:REF",
  uid: "auto or a number such as 1000",
  gid: "auto or a number such as 1000",
};

/** Keys whose values are versions: unquoted, YAML turns them into numbers. */
const VERSION_KEYS = new Set(["torch", "cuda", "python"]);

function unwrap(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(unwrap);
  return [schema];
}

/** The keys allowed in the mapping at `path` (empty when unknown). */
function knownKeysAt(path: KeyPath, root: z.ZodType = specSchema): string[] {
  let current: z.ZodType[] = [root];
  for (const part of path) {
    const next: z.ZodType[] = [];
    for (const schema of current.flatMap(unwrap)) {
      if (schema instanceof z.ZodObject && typeof part === "string") {
        const child = (schema.shape as Record<string, z.ZodType>)[part];
        if (child) next.push(child);
      } else if (schema instanceof z.ZodArray && typeof part === "number")
        next.push(schema.element as z.ZodType);
      else if (schema instanceof z.ZodRecord) next.push(schema.valueType as z.ZodType);
    }
    current = next;
  }
  return current.flatMap(unwrap).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []));
}

function received(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let node: unknown = data;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** The most specific issue inside a union: the branch that got furthest into the value. */
function pickUnionIssue(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue | undefined {
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.path.length > 0 && (best === undefined || inner.path.length > best.path.length)) best = inner;
    }
  }
  return best;
}

export function issueToSpecError(issue: z.core.$ZodIssue, data: unknown, locate: Locate): SpecError {
  if (issue.code === "invalid_union") {
    const inner = pickUnionIssue(issue);
    if (inner) return issueToSpecError({ ...inner, path: [...issue.path, ...inner.path] }, data, locate);
  }
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const full = [...path, key];
    const suggestion = nearest(key, knownKeysAt(path));
    const { file, line } = locate(full);
    const fix = suggestion ? `; did you mean ${formatPath([...path, suggestion])}?` : "";
    const allowed = knownKeysAt(path);
    return new SpecError(
      "E_SPEC_UNKNOWN_KEY",
      `unknown key${fix}`,
      { file, line, key: formatPath(full) },
      {
        remedies: [
          suggestion
            ? `rename ${formatPath(full)} to ${formatPath([...path, suggestion])}`
            : `remove ${formatPath(full)}; allowed here: ${allowed.join(", ")}`,
        ],
      },
    );
  }
  const { file, line } = locate(path);
  const key = formatPath(path) || "(top level)";
  const last = path[path.length - 1];
  const form = typeof last === "string" ? FORMS[last] : undefined;
  const value = valueAt(data, path);
  let message: string;
  let fix: string;
  if (issue.code === "invalid_value") {
    const allowed = issue.values.map((v) => String(v)).join(", ");
    message = `${received(value)} is not allowed; allowed values: ${allowed}`;
    fix = `set ${key} to one of: ${allowed}`;
  } else if (issue.code === "invalid_type" && value === undefined) {
    message = `missing required key (expected ${issue.expected})`;
    fix = `add ${key}: …  (see docs/spec.md)`;
  } else if (typeof value === "number" && VERSION_KEYS.has(String(last))) {
    message = `got the number ${value}; YAML reads unquoted versions as numbers (3.10 becomes 3.1)`;
    fix = `quote it: ${key}: "${value}"  (write "3.10", not 3.10)`;
  } else if (form) {
    message = `got ${received(value)}; must be ${form}`;
    fix = `set ${key} to ${form}`;
  } else if (issue.code === "invalid_type") {
    message = `expected ${issue.expected}, got ${received(value)}`;
    fix = `write ${key} as a ${issue.expected}`;
  } else {
    message = `${issue.message}${value === undefined ? "" : ` (got ${received(value)})`}`;
    fix = `fix ${key}: ${issue.message}`;
  }
  return new SpecError("E_SPEC_INVALID", message, { file, line, key }, { remedies: [fix] });
}
