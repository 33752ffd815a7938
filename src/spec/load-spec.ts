/**
 * Loads torchstack.yaml: finds it, reads it with limits, follows `extends:`
 * (paths relative to the file, cycles refused), merges parents, validates the
 * result with specSchema, the single-value checks (PEP 508 requirements, OCI
 * image names) and the cross-field checks. Every problem in the file is
 * reported at once, as one SpecError naming each file, line and key, and the fixes.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { SpecError } from "../errors/torchstack-error.js";
import { deepMerge } from "./merge-spec.js";
import { type Spec, specSchema } from "./schema.js";
import { readChain } from "./spec-chain.js";
import { checkSpec } from "./spec-checks.js";
import { combineSpecErrors, inputErrors } from "./spec-input-checks.js";
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
  // every problem in the file at once, in line order: schema issues, single values, then cross-field conflicts
  const parsed = specSchema.safeParse(merged);
  const errors = parsed.success
    ? []
    : parsed.error.issues.map((issue) => issueToSpecError(issue, merged, locate));
  errors.push(...inputErrors(merged, locate));
  if (parsed.success) {
    const conflict = checkSpec(parsed.data as Spec, locate);
    if (conflict) errors.push(conflict);
  }
  const byLine = errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.line ?? 0) - (b.e.line ?? 0) || a.i - b.i);
  const combined = combineSpecErrors(byLine.map(({ e }) => e));
  if (combined) throw combined;
  return parsed.data as Spec;
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
