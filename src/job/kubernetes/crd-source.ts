/**
 * Where `job check` gets the CRD schemas, in order: (a) the folder named by
 * TORCHSTACK_K8S_SCHEMAS, holding the CRD files under their upstream names;
 * (b) the cluster itself, when kubectl (TORCHSTACK_KUBECTL, else PATH) has a
 * current context — `kubectl get crd NAME -o json`, so the render is checked
 * against the version the cluster really runs; (c) none, and every CRD is
 * reported as skipped with the reason. torchstack carries no copies.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ProcessRunner } from "../../process/run-process.js";
import { findable } from "../check/sbatch-test-only.js";
import { CRDS, type CrdKey } from "./crd-schemas.js";

export type CrdLookup = { found: true; crd: unknown } | { found: false; reason: string };

export interface CrdSource {
  /** For the report: where the schemas come from. */
  readonly origin: string;
  lookup(key: CrdKey): Promise<CrdLookup>;
}

export const SCHEMAS_ENV = "TORCHSTACK_K8S_SCHEMAS";

/** The fix for a CRD that could not be validated. */
export const CRD_SOURCE_FIX = [
  `${SCHEMAS_ENV}=DIR: a folder of the CRD files (${Object.values(CRDS)
    .map((crd) => crd.file)
    .join(", ")})`,
  "or point kubectl at the cluster (kubectl config use-context CONTEXT): job check reads its CRDs with kubectl get crd",
];

const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";

export function folderCrdSource(dir: string, origin = `folder ${dir}`): CrdSource {
  return {
    origin,
    async lookup(key) {
      const file = join(dir, CRDS[key].file);
      if (!existsSync(file)) return { found: false, reason: `${dir} has no ${CRDS[key].file}` };
      try {
        return { found: true, crd: parse(readFileSync(file, "utf8")) };
      } catch (error) {
        return { found: false, reason: `${file} is not YAML: ${(error as Error).message}` };
      }
    },
  };
}

export function kubectlCrdSource(
  kubectl: string,
  context: string,
  deps: { run: ProcessRunner; env: NodeJS.ProcessEnv; contextFlag?: boolean },
): CrdSource {
  const where = `the cluster (kubectl context ${context})`;
  const pick = deps.contextFlag ? ["--context", context] : [];
  return {
    origin: where,
    async lookup(key) {
      const name = CRDS[key].name;
      const got = await deps
        .run(kubectl, [...pick, "get", "crd", name, "-o", "json"], {
          env: deps.env,
          reject: false,
          timeoutMs: 20_000,
        })
        .catch((error: Error) => ({ exitCode: null, timedOut: false, stdout: "", stderr: error.message }));
      if (got.timedOut) return { found: false, reason: `kubectl get crd ${name} timed out (${where})` };
      if (got.exitCode !== 0) {
        const said = lastLine(got.stderr);
        return {
          found: false,
          reason: /NotFound|not found/.test(said)
            ? `${where} has no CRD ${name} (its operator is not installed there)`
            : `kubectl get crd ${name} failed (${where}): ${said}`,
        };
      }
      try {
        return { found: true, crd: JSON.parse(got.stdout) };
      } catch {
        return { found: false, reason: `kubectl get crd ${name} -o json printed no JSON` };
      }
    },
  };
}

export function noCrdSource(reason: string): CrdSource {
  return {
    origin: "none",
    lookup: async () => ({ found: false, reason }),
  };
}

/** The first source that applies: TORCHSTACK_K8S_SCHEMAS, kubectl with the given or current context, none. */
export async function resolveCrdSource(deps: {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  /** `job check --server --context NAME`: that context, not the current one. */
  context?: string | undefined;
}): Promise<CrdSource> {
  const dir = deps.env[SCHEMAS_ENV];
  if (dir) {
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      return noCrdSource(`${SCHEMAS_ENV}=${dir} is not a folder`);
    return folderCrdSource(dir, `folder ${dir} (${SCHEMAS_ENV})`);
  }
  const kubectl = deps.env.TORCHSTACK_KUBECTL || "kubectl";
  if (!findable(kubectl, deps.env))
    return noCrdSource(`no CRD schemas: ${SCHEMAS_ENV} is not set and ${kubectl} is not on PATH`);
  if (deps.context) return kubectlCrdSource(kubectl, deps.context, { ...deps, contextFlag: true });
  const context = await deps
    .run(kubectl, ["config", "current-context"], { env: deps.env, reject: false, timeoutMs: 10_000 })
    .catch(() => undefined);
  const name = context?.exitCode === 0 ? context.stdout.trim() : "";
  if (!name)
    return noCrdSource(
      `no CRD schemas: ${SCHEMAS_ENV} is not set and kubectl has no current context${context ? ` (${lastLine(context.stderr)})` : ""}`,
    );
  return kubectlCrdSource(kubectl, name, deps);
}
