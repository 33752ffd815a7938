/**
 * The project's reference copies of the CRDs for tests: `../shared/reference/k8s/`
 * next to the repository root (see SOURCES.md there). torchstack carries no
 * copies; a checkout without that folder skips the CRD-strictness tests with
 * NO_REFERENCE as the reason, and everything else still runs.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CRD_KEYS, CRDS, type CrdSchemas, loadCrdSchemas } from "./crd-schemas.js";
import { folderCrdSource } from "./crd-source.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export const REFERENCE_K8S = join(repoRoot, "..", "shared", "reference", "k8s");

export const HAS_REFERENCE = Object.values(CRDS).every((crd) => existsSync(join(REFERENCE_K8S, crd.file)));

export const NO_REFERENCE = `skipped: the CRD reference copies are not in ${REFERENCE_K8S} (a checkout without ../shared/reference/k8s)`;

let loaded: Promise<CrdSchemas> | undefined;

/** Every CRD torchstack renders for, from the reference folder (loaded once per test file). */
export function referenceCrds(): Promise<CrdSchemas> {
  loaded ??= loadCrdSchemas(folderCrdSource(REFERENCE_K8S), CRD_KEYS);
  return loaded;
}
