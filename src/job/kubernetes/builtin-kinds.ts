/**
 * Built-in kinds (batch/v1 Job, v1 Service) checked like a strict API server:
 * kubernetes-models for types, enums and required fields, then unknown fields
 * rejected — the Job field by field against the JobTemplateSpec schema embedded
 * in the JobSet CRD, the Service against the field names of core/v1 (1.30).
 */
import { Job } from "kubernetes-models/batch/v1/Job";
import { Service } from "kubernetes-models/v1/Service";

export interface FieldProblem {
  path: string;
  message: string;
}

/** core/v1 ServiceSpec and ServicePort field names (Kubernetes 1.30, kubernetes-types 1.30.0). */
const SERVICE_SPEC_FIELDS = new Set([
  "allocateLoadBalancerNodePorts",
  "clusterIP",
  "clusterIPs",
  "externalIPs",
  "externalName",
  "externalTrafficPolicy",
  "healthCheckNodePort",
  "internalTrafficPolicy",
  "ipFamilies",
  "ipFamilyPolicy",
  "loadBalancerClass",
  "loadBalancerIP",
  "loadBalancerSourceRanges",
  "ports",
  "publishNotReadyAddresses",
  "selector",
  "sessionAffinity",
  "sessionAffinityConfig",
  "trafficDistribution",
  "type",
]);
const SERVICE_PORT_FIELDS = new Set(["appProtocol", "name", "nodePort", "port", "protocol", "targetPort"]);
const TOP_FIELDS = new Set(["apiVersion", "kind", "metadata", "spec"]);

function unknownKeys(value: unknown, allowed: ReadonlySet<string>, path: string): FieldProblem[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.keys(value)
    .filter((key) => !allowed.has(key))
    .map((key) => ({ path: `${path}/${key}`, message: "unknown field" }));
}

/** kubernetes-models' own check (types, enums, required); its error text lists every failing path. */
function modelProblems(check: () => void): FieldProblem[] {
  try {
    check();
    return [];
  } catch (error) {
    return [{ path: "", message: (error as Error).message }];
  }
}

export function topLevelProblems(manifest: Record<string, unknown>): FieldProblem[] {
  return unknownKeys(manifest, TOP_FIELDS, "");
}

export function serviceProblems(manifest: Record<string, unknown>): FieldProblem[] {
  const spec = (manifest.spec ?? {}) as { ports?: unknown[] };
  return [
    ...modelProblems(() => new Service(manifest as ConstructorParameters<typeof Service>[0]).validate()),
    ...unknownKeys(spec, SERVICE_SPEC_FIELDS, "/spec"),
    ...(spec.ports ?? []).flatMap((port, i) => unknownKeys(port, SERVICE_PORT_FIELDS, `/spec/ports/${i}`)),
  ];
}

export function jobModelProblems(manifest: Record<string, unknown>): FieldProblem[] {
  return modelProblems(() => new Job(manifest as ConstructorParameters<typeof Job>[0]).validate());
}
