/**
 * Strict validation of rendered manifests, before anything is applied: each
 * CRD object (TrainJob, JobSet, PyTorchJob) against its CRD's strict schema
 * with ajv, each built-in Job against kubernetes-models and the JobTemplateSpec
 * schema (from the JobSet CRD), each Service against kubernetes-models and its
 * field names, and every object's metadata (names, namespace, labels). Unknown
 * fields fail. The API server's Go-side rules the schemas lack (builtin-rules.ts)
 * apply to every object. With a CEL evaluator, each CRD object's create-time CEL rules
 * (`x-kubernetes-validations`) too. What the given CrdSchemas lack is reported
 * as skipped, with the reason — never as valid.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { z } from "zod";
import { type FieldProblem, jobModelProblems, serviceProblems, topLevelProblems } from "./builtin-kinds.js";
import { builtinRuleProblems } from "./builtin-rules.js";
import { type CelEvaluate, evaluateCelRules } from "./cel-rules.js";
import { type CrdKey, type CrdSchemas, isCrdKey, JOBSET_KEY, jobTemplateSchema } from "./crd-schemas.js";

export interface ManifestProblem extends FieldProblem {
  /** `TrainJob/name`. */
  object: string;
}

/** An object (or part of one) that could not be checked: its schema was not found. */
export interface SkippedObject {
  object: string;
  reason: string;
}

export interface ManifestValidation {
  problems: ManifestProblem[];
  skipped: SkippedObject[];
  /** Every object's label, checked or not. */
  objects: string[];
  /** CEL rules: create-time ones evaluated, transition (oldSelf) ones left to an update; none without an evaluator. */
  cel: { evaluated: number; transitionRules: number };
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
const compiled = new WeakMap<object, ValidateFunction>();

function validator(schema: Record<string, unknown>, build = () => schema): ValidateFunction {
  const existing = compiled.get(schema);
  if (existing) return existing;
  const fn = ajv.compile(build());
  compiled.set(schema, fn);
  return fn;
}

const templateOf = new WeakMap<object, Record<string, unknown>>();

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
function crdValidator(schema: Record<string, unknown>): ValidateFunction {
  return validator(schema, () => ({
    ...schema,
    properties: { ...(schema.properties as object), metadata: { type: "object" } },
  }));
}

function jobTemplateValidator(jobset: Record<string, unknown>): ValidateFunction {
  let template = templateOf.get(jobset);
  if (!template) {
    template = jobTemplateSchema(jobset);
    templateOf.set(jobset, template);
  }
  return validator(template);
}

function labelOf(manifest: unknown): string {
  const head = manifestHead.safeParse(manifest);
  if (!head.success) return "?";
  return `${head.data.kind}/${(head.data.metadata as { name?: string } | undefined)?.name ?? "?"}`;
}

export function validateManifest(
  manifest: unknown,
  crds: CrdSchemas,
  cel?: CelEvaluate,
): { problems: ManifestProblem[]; skipped: SkippedObject[]; cel: ManifestValidation["cel"] } {
  const celCount = { evaluated: 0, transitionRules: 0 };
  const head = manifestHead.safeParse(manifest);
  if (!head.success)
    return {
      problems: [{ object: "?", path: "", message: "not a Kubernetes object (apiVersion, kind, metadata)" }],
      skipped: [],
      cel: celCount,
    };
  const object = head.data as Record<string, unknown> & { apiVersion: string; kind: string };
  const meta = metadataSchema.safeParse(object.metadata);
  const label = labelOf(object);
  const skipped: SkippedObject[] = [];
  const problems: FieldProblem[] = meta.success
    ? []
    : meta.error.issues.map((issue) => ({
        path: `/metadata/${issue.path.join("/")}`,
        message: issue.message,
      }));
  const key = `${object.apiVersion}/${object.kind}`;
  if (key === "batch/v1/Job") {
    problems.push(...topLevelProblems(object), ...jobModelProblems(object));
    const jobset = crds.schemas.get(JOBSET_KEY);
    if (jobset)
      problems.push(
        ...ajvProblems(jobTemplateValidator(jobset), { metadata: object.metadata, spec: object.spec }),
      );
    else
      skipped.push({
        object: label,
        reason: `unknown fields not checked (the JobTemplateSpec schema comes from the JobSet CRD: ${crds.missing.get(JOBSET_KEY) ?? "not loaded"})`,
      });
  } else if (key === "v1/Service") {
    problems.push(...topLevelProblems(object), ...serviceProblems(object));
  } else if (isCrdKey(key)) {
    const schema = crds.schemas.get(key);
    if (schema) {
      problems.push(...ajvProblems(crdValidator(schema), object));
      if (cel) {
        const outcome = evaluateCelRules(schema, object, cel);
        problems.push(...outcome.problems.map((p) => ({ ...p, message: `${p.message} (CEL rule)` })));
        celCount.evaluated += outcome.evaluated;
        celCount.transitionRules += outcome.transitionRules;
        skipped.push(
          ...outcome.unevaluated.map((u) => ({
            object: label,
            reason: `CEL rule at ${u.path || "/"} not evaluated: ${u.message}`,
          })),
        );
      }
    } else skipped.push({ object: label, reason: crds.missing.get(key) ?? `the ${key} CRD was not loaded` });
  } else {
    problems.push({ path: "", message: `no schema for ${key}: torchstack does not render this kind` });
  }
  problems.push(...builtinRuleProblems(object));
  return { problems: problems.map((problem) => ({ object: label, ...problem })), skipped, cel: celCount };
}

/** The CRDs a set of manifests needs: each CRD kind in it, and JobSet's for any batch/v1 Job's template. */
export function crdKeysFor(manifests: readonly unknown[]): CrdKey[] {
  const keys = new Set<CrdKey>();
  for (const manifest of manifests) {
    const head = manifestHead.safeParse(manifest);
    if (!head.success) continue;
    const key = `${head.data.apiVersion}/${head.data.kind}`;
    if (isCrdKey(key)) keys.add(key);
    if (key === "batch/v1/Job") keys.add(JOBSET_KEY);
  }
  return [...keys];
}

export function validateManifests(
  manifests: readonly unknown[],
  crds: CrdSchemas,
  cel?: CelEvaluate,
): ManifestValidation {
  const results = manifests.map((manifest) => validateManifest(manifest, crds, cel));
  return {
    problems: results.flatMap((r) => r.problems),
    skipped: results.flatMap((r) => r.skipped),
    objects: manifests.map(labelOf),
    cel: {
      evaluated: results.reduce((n, r) => n + r.cel.evaluated, 0),
      transitionRules: results.reduce((n, r) => n + r.cel.transitionRules, 0),
    },
  };
}
