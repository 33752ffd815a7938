/**
 * The CRDs torchstack renders for — Trainer v2 TrainJob, JobSet, Training
 * Operator v1 PyTorchJob — loaded from a CrdSource (a folder of the CRD files,
 * or the cluster through kubectl) and turned into strict JSON Schemas for the
 * served version the render uses. A CRD the source lacks is kept with the
 * reason, so validation reports it as skipped, never as valid. JobSet's
 * embedded Job template also checks built-in Jobs field by field.
 */
import { z } from "zod";
import type { CrdSource } from "./crd-source.js";
import { strictSchema } from "./strict-schema.js";

/** `apiVersion/kind` → the CRD's file name (as in the upstream repositories) and its `metadata.name`. */
export const CRDS = {
  "trainer.kubeflow.org/v1alpha1/TrainJob": {
    file: "trainer.kubeflow.org_trainjobs.yaml",
    name: "trainjobs.trainer.kubeflow.org",
  },
  "jobset.x-k8s.io/v1alpha2/JobSet": {
    file: "jobset.x-k8s.io_jobsets.yaml",
    name: "jobsets.jobset.x-k8s.io",
  },
  "kubeflow.org/v1/PyTorchJob": { file: "kubeflow.org_pytorchjobs.yaml", name: "pytorchjobs.kubeflow.org" },
} as const;
export type CrdKey = keyof typeof CRDS;
export const CRD_KEYS = Object.keys(CRDS) as CrdKey[];
export const JOBSET_KEY: CrdKey = "jobset.x-k8s.io/v1alpha2/JobSet";

export function isCrdKey(key: string): key is CrdKey {
  return Object.hasOwn(CRDS, key);
}

/** The strict schemas a source gave, and for each CRD it could not give, why. */
export interface CrdSchemas {
  /** Where they came from: `folder DIR (TORCHSTACK_K8S_SCHEMAS)`, `the cluster (kubectl context C)`, `none`. */
  origin: string;
  schemas: ReadonlyMap<CrdKey, Record<string, unknown>>;
  missing: ReadonlyMap<CrdKey, string>;
}

const crdDocument = z.object({
  spec: z.object({
    group: z.string(),
    names: z.object({ kind: z.string() }),
    versions: z.array(
      z.object({
        name: z.string(),
        schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()) }).optional(),
      }),
    ),
  }),
});

/** The strict openAPIV3Schema of the version `key` names, or why the document has none. */
export function strictCrdSchema(key: CrdKey, document: unknown): Record<string, unknown> | string {
  const crd = crdDocument.safeParse(document);
  if (!crd.success) return `${CRDS[key].name} is not a CustomResourceDefinition with versions and schemas`;
  const version = key.split("/")[1];
  const served = crd.data.spec.versions.find((v) => v.name === version);
  if (!served?.schema)
    return `${CRDS[key].name} serves ${crd.data.spec.versions.map((v) => v.name).join(", ") || "no version"}, not ${version} with a schema (the cluster would refuse this render)`;
  return strictSchema(served.schema.openAPIV3Schema) as Record<string, unknown>;
}

/** Asks the source for each CRD in `keys` (each once) and makes the found ones strict. */
export async function loadCrdSchemas(source: CrdSource, keys: Iterable<CrdKey>): Promise<CrdSchemas> {
  const schemas = new Map<CrdKey, Record<string, unknown>>();
  const missing = new Map<CrdKey, string>();
  for (const key of new Set(keys)) {
    const found = await source.lookup(key);
    const strict = found.found ? strictCrdSchema(key, found.crd) : found.reason;
    if (typeof strict === "string") missing.set(key, strict);
    else schemas.set(key, strict);
  }
  return { origin: source.origin, schemas, missing };
}

/** JobSet's `replicatedJobs[].template`: a complete, structural batch/v1 JobTemplateSpec (metadata + spec). */
export function jobTemplateSchema(jobset: Record<string, unknown>): Record<string, unknown> {
  const typed = jobset as {
    properties: {
      spec: {
        properties: { replicatedJobs: { items: { properties: { template: Record<string, unknown> } } } };
      };
    };
  };
  return typed.properties.spec.properties.replicatedJobs.items.properties.template;
}
