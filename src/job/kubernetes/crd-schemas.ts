/**
 * The CRDs torchstack renders for, read from the copies in ./schemas/ (see
 * SOURCES.md there): Trainer v2 TrainJob, JobSet, Training Operator v1
 * PyTorchJob. Each is found by apiVersion and kind and returned as its strict
 * JSON Schema; JobSet's embedded Job template also checks built-in Jobs and
 * pod templates field by field.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { strictSchema } from "./strict-schema.js";

/** src/job/kubernetes/schemas, found by walking up from this module: works from src/ and from the dist/ bundle. */
export function schemaDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, "src", "job", "kubernetes", "schemas");
    if (existsSync(join(candidate, "SOURCES.md"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("the CRD schemas (src/job/kubernetes/schemas) were not found");
    dir = parent;
  }
}

export const CRD_FILES = {
  "trainer.kubeflow.org/v1alpha1/TrainJob": "trainer.kubeflow.org_trainjobs.yaml",
  "jobset.x-k8s.io/v1alpha2/JobSet": "jobset.x-k8s.io_jobsets.yaml",
  "kubeflow.org/v1/PyTorchJob": "kubeflow.org_pytorchjobs.yaml",
} as const;
export type CrdKey = keyof typeof CRD_FILES;

const crdSchema = z.object({
  spec: z.object({
    group: z.string(),
    names: z.object({ kind: z.string() }),
    versions: z.array(
      z.object({
        name: z.string(),
        schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()) }),
      }),
    ),
  }),
});

const cache = new Map<string, Record<string, unknown>>();

/** The strict openAPIV3Schema of `apiVersion/kind`, or undefined for a kind torchstack has no CRD for. */
export function crdOpenApiSchema(key: string, dir = schemaDir()): Record<string, unknown> | undefined {
  const file = CRD_FILES[key as CrdKey];
  if (!file) return undefined;
  const cached = cache.get(key);
  if (cached) return cached;
  const crd = crdSchema.parse(parse(readFileSync(join(dir, file), "utf8")));
  const version = key.split("/")[1];
  const served = crd.spec.versions.find((v) => v.name === version);
  if (!served) throw new Error(`${file} has no version ${version}`);
  const strict = strictSchema(served.schema.openAPIV3Schema) as Record<string, unknown>;
  cache.set(key, strict);
  return strict;
}

/** JobSet's `replicatedJobs[].template`: a complete, structural batch/v1 JobTemplateSpec (metadata + spec). */
export function jobTemplateSchema(dir = schemaDir()): Record<string, unknown> {
  const jobset = crdOpenApiSchema("jobset.x-k8s.io/v1alpha2/JobSet", dir) as {
    properties: {
      spec: {
        properties: { replicatedJobs: { items: { properties: { template: Record<string, unknown> } } } };
      };
    };
  };
  return jobset.properties.spec.properties.replicatedJobs.items.properties.template;
}
