/**
 * Checks of single values that the schema's types cannot express and that
 * would otherwise fail late, inside a build: each pip requirement must parse
 * as PEP 508 (pep508.ts), and the spec's name must be a valid image
 * repository component under the OCI distribution rules (lower-case letters
 * and digits, separated by one `.`, one or two `_`, or `-`s; no `a..b`).
 * They read the merged data loosely, so they also run when the schema found
 * other problems: every error in the file is reported at once.
 */
import { SpecError } from "../errors/torchstack-error.js";
import { parseRequirement, RequirementSyntaxError } from "./pep508.js";
import type { Locate } from "./spec-issues.js";
import { formatPath, type KeyPath } from "./yaml-source.js";

/** One path component of an OCI repository name (distribution spec, "name" grammar). */
const OCI_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** Room for the `torchstack-` container prefix and the registry part within 255 characters. */
const MAX_NAME = 128;

/** A name close to `name` that follows the rules, for the fix. */
export function suggestImageName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/[._-]{2,}/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, MAX_NAME);
  return cleaned || "torch";
}

export function imageNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME)
    return `is ${name.length} characters; image names here have at most ${MAX_NAME}`;
  if (!OCI_COMPONENT.test(name))
    return "is not a valid image name: lower-case letters and digits, separated by single '.', '_' or '__', or '-'";
  return undefined;
}

export function inputErrors(data: unknown, locate: Locate): SpecError[] {
  const errors: SpecError[] = [];
  if (data === null || typeof data !== "object") return errors;
  const at = (path: KeyPath) => ({ ...locate(path), key: formatPath(path) });
  const record = data as Record<string, unknown>;
  if (typeof record.name === "string") {
    const problem = imageNameProblem(record.name);
    if (problem)
      errors.push(
        new SpecError("E_SPEC_INVALID", `"${record.name}" ${problem}`, at(["name"]), {
          remedies: [`set name: ${suggestImageName(record.name)}`],
        }),
      );
  }
  const packages = record.packages;
  const pip =
    packages !== null && typeof packages === "object" ? (packages as Record<string, unknown>).pip : undefined;
  if (Array.isArray(pip)) {
    for (const [index, requirement] of pip.entries()) {
      if (typeof requirement !== "string" || requirement.trim().startsWith("-")) continue; // the schema and cross-field checks say why
      try {
        parseRequirement(requirement);
      } catch (error) {
        if (!(error instanceof RequirementSyntaxError)) throw error;
        errors.push(
          new SpecError(
            "E_SPEC_REQUIREMENT",
            `"${requirement}" is not a pip requirement (PEP 508): ${error.message}`,
            at(["packages", "pip", index]),
            {
              remedies: [
                "write NAME, NAME==VERSION or NAME>=A,<B, optionally with extras and markers: numpy==2.2.6, \"uvloop; sys_platform == 'linux'\"",
              ],
            },
          ),
        );
      }
    }
  }
  return errors;
}

/**
 * All the errors of one file as one SpecError: the first one's code, file and
 * line, every message on its own line and every fix, and the list in `details.errors`.
 */
export function combineSpecErrors(errors: readonly SpecError[]): SpecError | undefined {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const id = `${e.file}:${e.line}:${e.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const [first, ...rest] = unique;
  if (!first) return undefined;
  if (rest.length === 0) return first;
  const message = [
    `${first.message.slice(`${first.file}${first.line === undefined ? "" : `:${first.line}`}: `.length)}`,
    ...rest.map((e) => `also ${e.message}`),
  ].join("\n");
  return new SpecError(
    first.code,
    message,
    { file: first.file, line: first.line, key: undefined },
    {
      remedies: unique.flatMap((e) => e.remedies),
      details: {
        errors: unique.map((e) => ({
          code: e.code,
          file: e.file,
          line: e.line ?? null,
          key: e.key ?? null,
          message: e.message,
          remedies: [...e.remedies],
        })),
      },
    },
  );
}
