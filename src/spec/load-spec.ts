/**
 * Loads torchstack.yaml: finds it, reads it with limits, follows `extends:`
 * (paths relative to the file, cycles refused), merges parents, validates the
 * result with specSchema and the cross-field checks. Every failure is a
 * SpecError naming the file, line and key, and the fix.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { SpecError } from "../errors/torchstack-error.js";
import { deepMerge } from "./merge-spec.js";
import { type Spec, specSchema } from "./schema.js";
import { readChain } from "./spec-chain.js";
import { checkSpec } from "./spec-checks.js";
import { issueToSpecError, type Locate } from "./spec-issues.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";

export const SPEC_FILE_NAME = "torchstack.yaml";

export interface LoadedSpec {
  /** The path as given (relative paths stay relative, for messages). */
  file: string;
  spec: Spec;
}

/** Validates already-read sources (child first) into a Spec; exported for tests and fuzzing. */
function specFromSources(chain: readonly YamlSource[]): Spec {
  const child = chain[0];
  if (!child) throw new Error("specFromSources needs at least one source");
  const merged = chain.reduceRight<unknown>((acc, source) => deepMerge(acc, source.data), {});
  const locate: Locate = (path) => {
    const owner = chain.find((source) => source.has(path)) ?? child;
    return { file: owner.file, line: owner.lineOf(path) };
  };
  if (merged === null || typeof merged !== "object" || Array.isArray(merged)) {
    throw new SpecError(
      "E_SPEC_INVALID",
      "a spec must be a YAML mapping (key: value lines)",
      {
        file: child.file,
        line: 1,
      },
      { remedies: ["run `torchstack init` to see a complete example"] },
    );
  }
  if (chain.length > 1)
    (merged as Record<string, unknown>).extends = (child.data as { extends?: unknown }).extends;
  const parsed = specSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = [...parsed.error.issues].sort(
      (a, b) =>
        (locate(a.path as (string | number)[]).line ?? 0) - (locate(b.path as (string | number)[]).line ?? 0),
    );
    const first = issues[0];
    if (first) throw issueToSpecError(first, merged, locate);
  }
  const spec = parsed.data as Spec;
  const conflict = checkSpec(spec, locate);
  if (conflict) throw conflict;
  return spec;
}

/** Parses one spec text (no `extends` following); for tests and fuzzing. */
export function parseSpecText(text: string, file = SPEC_FILE_NAME): Spec {
  return specFromSources([parseYamlSource(file, text)]);
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  return { file, spec: specFromSources(readChain(file)) };
}

/** The spec to use: `explicit` when given (must exist), else `torchstack.yaml` in `cwd`. */
export function findSpecFile(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path) || !statSync(path).isFile()) {
      const folder = existsSync(path) && statSync(path).isDirectory();
      throw new SpecError(
        "E_NO_SPEC",
        folder ? "is a folder, not a spec file" : "file not found",
        { file: explicit },
        {
          remedies: folder
            ? [`-f ${join(explicit, SPEC_FILE_NAME)}`, "run `torchstack init` to create torchstack.yaml"]
            : ["check the -f path", "run `torchstack init` to create torchstack.yaml"],
        },
      );
    }
    return path;
  }
  const path = join(cwd, SPEC_FILE_NAME);
  if (!existsSync(path)) {
    throw new SpecError(
      "E_NO_SPEC",
      `no ${SPEC_FILE_NAME} in ${cwd}; run \`torchstack init\` or pass -f FILE`,
      {
        file: path,
      },
      {
        remedies: ["torchstack init --preset pytorch-2.7", "torchstack <command> -f path/to/torchstack.yaml"],
      },
    );
  }
  return path;
}
