/**
 * Strict validation of rendered manifests, before anything is applied: each
 * CRD object (TrainJob, JobSet, PyTorchJob) against its CRD's strict schema
 * with ajv, each built-in Job against kubernetes-models and the JobTemplateSpec
 * schema, each Service against kubernetes-models and its field names, and
 * every object's metadata (names, namespace, labels). Unknown fields fail.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { z } from "zod";
import { type FieldProblem, jobModelProblems, serviceProblems, topLevelProblems } from "./builtin-kinds.js";
import { crdOpenApiSchema, jobTemplateSchema, schemaDir } from "./crd-schemas.js";

export interface ManifestProblem extends FieldProblem {
  /** `TrainJob/name`. */
  object: string;
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const metadataSchema = z
  .object({
    name: z.string().max(63).regex(dns1123, "must be a DNS-1123 label"),
    namespace: z.string().max(63).regex(dns1123, "must be a DNS-1123 label"),
    labels: z
      .record(
        z.string().max(317).regex(labelKey, "bad label key"),
        z.string().max(63).regex(labelValue, "bad label value"),
      )
      .optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const manifestHead = z
  .object({ apiVersion: z.string(), kind: z.string(), metadata: z.unknown() })
  .passthrough();

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: () => Record<string, unknown>): ValidateFunction {
  const existing = compiled.get(key);
  if (existing) return existing;
  const fn = ajv.compile(schema());
  compiled.set(key, fn);
  return fn;
}

function ajvProblems(fn: ValidateFunction, data: unknown, prefix = ""): FieldProblem[] {
  if (fn(data)) return [];
  return (fn.errors ?? []).map((error) => ({
    path: `${prefix}${error.instancePath}`,
    message:
      error.keyword === "additionalProperties"
        ? `unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : (error.message ?? error.keyword),
  }));
}

/** The CRD schema with metadata left to the metadata check (the API server validates ObjectMeta itself). */
function crdValidator(key: string, dir: string): ValidateFunction | undefined {
  const schema = crdOpenApiSchema(key, dir);
  if (!schema) return undefined;
  return validator(key, () => ({
    ...schema,
    properties: { ...(schema.properties as object), metadata: { type: "object" } },
  }));
}

export function validateManifest(manifest: unknown, dir = schemaDir()): ManifestProblem[] {
  const head = manifestHead.safeParse(manifest);
  if (!head.success)
    return [{ object: "?", path: "", message: "not a Kubernetes object (apiVersion, kind, metadata)" }];
  const object = head.data as Record<string, unknown> & { apiVersion: string; kind: string };
  const meta = metadataSchema.safeParse(object.metadata);
  const name = (object.metadata as { name?: string } | undefined)?.name ?? "?";
  const label = `${object.kind}/${name}`;
  const problems: FieldProblem[] = meta.success
    ? []
    : meta.error.issues.map((issue) => ({
        path: `/metadata/${issue.path.join("/")}`,
        message: issue.message,
      }));
  const key = `${object.apiVersion}/${object.kind}`;
  if (key === "batch/v1/Job") {
    problems.push(...topLevelProblems(object), ...jobModelProblems(object));
    const template = validator("JobTemplateSpec", () => jobTemplateSchema(dir));
    problems.push(...ajvProblems(template, { metadata: object.metadata, spec: object.spec }));
  } else if (key === "v1/Service") {
    problems.push(...topLevelProblems(object), ...serviceProblems(object));
  } else {
    const fn = crdValidator(key, dir);
    if (!fn)
      problems.push({ path: "", message: `no schema for ${key}: torchstack does not render this kind` });
    else problems.push(...ajvProblems(fn, object));
  }
  return problems.map((problem) => ({ object: label, ...problem }));
}

export function validateManifests(manifests: readonly unknown[], dir = schemaDir()): ManifestProblem[] {
  return manifests.flatMap((manifest) => validateManifest(manifest, dir));
}
