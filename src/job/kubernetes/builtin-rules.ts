/**
 * What the API server's Go validation checks in built-in types and no schema
 * carries, applied to every pod and Job template a render holds (Job, JobSet
 * replicated jobs, PyTorchJob replicas, a TrainJob's resources and pod patch):
 * a volumeMount naming a volume the pod lacks, duplicate names and mount paths,
 * extended resources (`nvidia.com/gpu`) whose request differs from their limit
 * or has none, and the Indexed Job fields (completions set, within bounds,
 * per-index backoff only when Indexed, a restartPolicy a Job accepts).
 */
import type { FieldProblem } from "./builtin-kinds.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const listOf = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Resource names the API server treats as overcommittable (everything else: request must equal limit). */
const NATIVE = /^(cpu|memory|ephemeral-storage|hugepages-.+|(.+\.)?kubernetes\.io\/.+)$/;
const INDEXED_MAX = 100_000;
const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A container's resources: extended resources need a limit, and a request equal to it. */
export function resourceProblems(resources: unknown, path: string): FieldProblem[] {
  if (!isObject(resources)) return [];
  const requests = isObject(resources.requests) ? resources.requests : {};
  const limits = isObject(resources.limits) ? resources.limits : {};
  const problems: FieldProblem[] = [];
  for (const [name, request] of Object.entries(requests)) {
    if (NATIVE.test(name)) continue;
    if (!(name in limits))
      problems.push({
        path: `${path}/limits`,
        message: `Required value: Limit must be set for non overcommitable resources (${name})`,
      });
    else if (String(limits[name]) !== String(request))
      problems.push({
        path: `${path}/requests/${name}`,
        message: `Invalid value: "${String(request)}": must be equal to ${name} limit of ${String(limits[name])}`,
      });
  }
  return problems;
}

/** A pod spec: volumes and mounts agree, names unique, extended resources equal. */
export function podSpecProblems(spec: unknown, path: string): FieldProblem[] {
  if (!isObject(spec)) return [];
  const problems: FieldProblem[] = [];
  const volumes = listOf(spec.volumes).map((v) => String(v.name));
  volumes.forEach((name, i) => {
    if (volumes.indexOf(name) !== i)
      problems.push({ path: `${path}/volumes/${i}/name`, message: `Duplicate value: "${name}"` });
  });
  const containers = [
    ...listOf(spec.initContainers).map((c, i) => ({ c, at: `${path}/initContainers/${i}` })),
    ...listOf(spec.containers).map((c, i) => ({ c, at: `${path}/containers/${i}` })),
  ];
  const names = containers.map(({ c }) => String(c.name));
  containers.forEach(({ c, at }, i) => {
    const name = String(c.name);
    if (!dns1123.test(name) || name.length > 63)
      problems.push({ path: `${at}/name`, message: `Invalid value: "${name}": must be a DNS-1123 label` });
    if (names.indexOf(name) !== i)
      problems.push({ path: `${at}/name`, message: `Duplicate value: "${name}"` });
    const mountPaths: string[] = [];
    listOf(c.volumeMounts).forEach((mount, j) => {
      const volume = String(mount.name);
      if (!volumes.includes(volume))
        problems.push({
          path: `${at}/volumeMounts/${j}/name`,
          message: `Not found: "${volume}" (no volume of the pod has this name)`,
        });
      const mountPath = String(mount.mountPath);
      if (mountPaths.includes(mountPath))
        problems.push({
          path: `${at}/volumeMounts/${j}/mountPath`,
          message: `Invalid value: "${mountPath}": must be unique`,
        });
      mountPaths.push(mountPath);
    });
    problems.push(...resourceProblems(c.resources, `${at}/resources`));
  });
  return problems;
}

/** A batch/v1 JobSpec: the Indexed fields, the template's restartPolicy, then its pod. */
export function jobSpecProblems(spec: unknown, path: string): FieldProblem[] {
  if (!isObject(spec)) return [];
  const problems: FieldProblem[] = [];
  const indexed = spec.completionMode === "Indexed";
  if (indexed) {
    if (spec.completions === undefined || spec.completions === null)
      problems.push({
        path: `${path}/completions`,
        message: "Required value: when completion mode is Indexed",
      });
    else if (Number(spec.completions) > INDEXED_MAX)
      problems.push({
        path: `${path}/completions`,
        message: `Invalid value: must be less than or equal to ${INDEXED_MAX} when completion mode is Indexed`,
      });
    if (Number(spec.parallelism ?? 0) > INDEXED_MAX)
      problems.push({
        path: `${path}/parallelism`,
        message: `Invalid value: must be less than or equal to ${INDEXED_MAX} when completion mode is Indexed`,
      });
  } else {
    for (const field of ["backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"])
      if (spec[field] !== undefined)
        problems.push({
          path: `${path}/${field}`,
          message: "Invalid value: requires completionMode Indexed",
        });
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined)
    problems.push({
      path: `${path}/maxFailedIndexes`,
      message: "Invalid value: requires backoffLimitPerIndex",
    });
  const template = isObject(spec.template) ? spec.template : {};
  const pod = isObject(template.spec) ? template.spec : {};
  const restart = pod.restartPolicy;
  if (restart !== "Never" && restart !== "OnFailure")
    problems.push({
      path: `${path}/template/spec/restartPolicy`,
      message: `Unsupported value: "${String(restart)}": supported values: "OnFailure", "Never"`,
    });
  if (spec.podFailurePolicy !== undefined && restart !== "Never")
    problems.push({
      path: `${path}/podFailurePolicy`,
      message: "Invalid value: requires restartPolicy Never",
    });
  problems.push(...podSpecProblems(pod, `${path}/template/spec`));
  return problems;
}

/** JobSet's webhook: each child Job's name (`JOBSET-RJOB-0`) must be a DNS-1035 label, so start with a letter. */
function childJobNameProblems(object: Json, replicated: Json, i: number): FieldProblem[] {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const child = `${String(metadata.name)}-${String(replicated.name)}-0`;
  if (/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(child) && child.length <= 63) return [];
  return [
    {
      path: `/spec/replicatedJobs/${i}/name`,
      message: `Invalid value: "${child}": a child Job's name must be a DNS-1035 label (start with a letter, at most 63 characters)`,
    },
  ];
}

/** The built-in rules for one rendered object, by kind (kinds without pods give none). */
export function builtinRuleProblems(object: Json): FieldProblem[] {
  const spec = isObject(object.spec) ? object.spec : {};
  switch (`${String(object.apiVersion)}/${String(object.kind)}`) {
    case "batch/v1/Job":
      return jobSpecProblems(spec, "/spec");
    case "jobset.x-k8s.io/v1alpha2/JobSet":
      return listOf(spec.replicatedJobs).flatMap((rj, i) => [
        ...childJobNameProblems(object, rj, i),
        ...jobSpecProblems(
          isObject(rj.template) ? rj.template.spec : undefined,
          `/spec/replicatedJobs/${i}/template/spec`,
        ),
      ]);
    case "kubeflow.org/v1/PyTorchJob": {
      const replicas = isObject(spec.pytorchReplicaSpecs) ? spec.pytorchReplicaSpecs : {};
      return Object.entries(replicas).flatMap(([role, replica]) =>
        isObject(replica) && isObject(replica.template)
          ? podSpecProblems(replica.template.spec, `/spec/pytorchReplicaSpecs/${role}/template/spec`)
          : [],
      );
    }
    case "trainer.kubeflow.org/v1alpha1/TrainJob": {
      const trainer = isObject(spec.trainer) ? spec.trainer : {};
      return resourceProblems(trainer.resourcesPerNode, "/spec/trainer/resourcesPerNode");
    }
    default:
      return [];
  }
}
