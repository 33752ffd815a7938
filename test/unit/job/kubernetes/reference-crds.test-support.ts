/**
 * The project's reference copies of the CRDs for tests: `shared/reference/k8s/`
 * next to the repository root, or next to the nearest folder above it that has
 * one (a git worktree nested one level deeper) (see SOURCES.md there). torchstack carries no
 * copies; a checkout without that folder skips the CRD-strictness tests with
 * NO_REFERENCE as the reason, and everything else still runs.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CRD_KEYS,
  CRDS,
  type CrdSchemas,
  loadCrdSchemas,
} from "../../../../src/job/kubernetes/crd-schemas.js";
import { folderCrdSource } from "../../../../src/job/kubernetes/crd-source.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

function referenceFolder(): string {
  const beside = (dir: string) => join(dir, "..", "shared", "reference", "k8s");
  for (let dir = repoRoot; dirname(dir) !== dir; dir = dirname(dir))
    if (existsSync(beside(dir))) return beside(dir);
  return beside(repoRoot);
}

export const REFERENCE_K8S = referenceFolder();

export const HAS_REFERENCE = Object.values(CRDS).every((crd) => existsSync(join(REFERENCE_K8S, crd.file)));

export const NO_REFERENCE = `skipped: the CRD reference copies are not in ${REFERENCE_K8S} (a checkout without ../shared/reference/k8s)`;

let loaded: Promise<CrdSchemas> | undefined;

/** Every CRD torchstack renders for, from the reference folder (loaded once per test file). */
export function referenceCrds(): Promise<CrdSchemas> {
  loaded ??= loadCrdSchemas(folderCrdSource(REFERENCE_K8S), CRD_KEYS);
  return loaded;
}
