/**
 * From the `job` block as written to the one normalised JobSpec every renderer
 * reads: node range, procs per node, GPUs (count and MIG profile), shm in bytes,
 * the rendezvous `auto` decided (static for a fixed size, c10d for elastic) and
 * per-target defaults. Contradictions are SpecErrors naming the key, with the fix.
 */
import { SpecError } from "../errors/torchstack-error.js";
import type { JobBlock } from "../spec/job-schema.js";
import type { JobResources, JobSpec } from "./job-types.js";
import { cpuMillis } from "./resources.js";
import { parseSizeBytes } from "./size.js";

export interface NormalizeContext {
  /** The spec's `name`. */
  specName: string;
  /** The spec file (for messages). */
  file: string;
  /** The line of a key path in the spec, when known. */
  lineOf?: (path: readonly (string | number)[]) => number | undefined;
  /** `run.shm` of the spec: the job's shm default, as `up` uses it. */
  runShm?: string | undefined;
}

export const DEFAULT_JOB_SHM = "8g";
export const DEFAULT_JOB_PORT = 29500;

/** A DNS-1035 label (Kubernetes Service and Job names) short enough for pod-name suffixes. */
export function jobName(specName: string): string {
  const label = specName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return label || "job";
}

function parseNodes(nodes: JobBlock["nodes"]): { min: number; max: number } {
  if (nodes === undefined) return { min: 1, max: 1 };
  if (typeof nodes === "number") return { min: nodes, max: nodes };
  const [min, max = min] = nodes.split(":").map(Number) as [number, number?];
  return { min, max };
}

function cpuText(cpu: number | string | undefined): string | undefined {
  return typeof cpu === "number" ? String(cpu) : cpu;
}

function jobResources(block: JobBlock["resources"]): JobResources {
  const limits = block?.limits ?? {};
  return {
    ...(block?.cpu !== undefined ? { cpu: cpuText(block.cpu) } : {}),
    ...(block?.memory !== undefined ? { memory: block.memory } : {}),
    limits: {
      ...(limits.cpu !== undefined ? { cpu: cpuText(limits.cpu) } : {}),
      ...(limits.memory !== undefined ? { memory: limits.memory } : {}),
    },
  };
}

export function normalizeJob(block: JobBlock, context: NormalizeContext): JobSpec {
  const fail = (path: string[], message: string, fixes: string[]) =>
    new SpecError(
      "E_JOB_INVALID",
      message,
      { file: context.file, line: context.lineOf?.(["job", ...path]), key: ["job", ...path].join(".") },
      { remedies: fixes },
    );
  const nodes = parseNodes(block.nodes);
  if (nodes.min < 1 || nodes.max < nodes.min)
    throw fail(["nodes"], `"${block.nodes}" is not a node range: MIN must be at least 1 and at most MAX`, [
      'nodes: "1:4" (elastic between 1 and 4 nodes)',
      "nodes: 2 (a fixed size)",
    ]);
  const elastic = nodes.min !== nodes.max;
  const gpus =
    typeof block.gpusPerNode === "object"
      ? { count: block.gpusPerNode.count, mig: block.gpusPerNode.mig }
      : { count: block.gpusPerNode ?? 0 };
  const procsPerNode = block.procsPerNode ?? (gpus.count > 0 ? "gpu" : 1);
  if (procsPerNode === "gpu" && gpus.count === 0)
    throw fail(["procsPerNode"], "`gpu` means one process per GPU, but the job asks for no GPUs", [
      "gpusPerNode: 8 (the GPUs each node gets)",
      "procsPerNode: 2 (a fixed number of CPU processes)",
    ]);
  const asked = block.rendezvous ?? "auto";
  if (asked === "static" && elastic)
    throw fail(["rendezvous"], "static rendezvous needs a fixed node count, but nodes is a range", [
      "rendezvous: c10d (or auto) for elastic nodes",
      `nodes: ${nodes.max} (a fixed size)`,
    ]);
  const rendezvous = asked === "auto" ? (elastic ? "c10d" : "static") : asked;
  const shm = block.shm ?? context.runShm ?? DEFAULT_JOB_SHM;
  const resources = jobResources(block.resources);
  const memoryLimit = resources.limits.memory;
  if (memoryLimit !== undefined && parseSizeBytes(memoryLimit) <= parseSizeBytes(shm))
    throw fail(
      ["resources", "limits", "memory"],
      `a memory limit of ${memoryLimit} leaves nothing beside /dev/shm (${shm}): the in-memory shm is charged to the pod, which would be killed for memory`,
      [
        `resources: {limits: {memory: ${Math.ceil(parseSizeBytes(shm) / 1024 ** 3) + 8}g}}`,
        "or a smaller job.shm",
      ],
    );
  for (const key of ["cpu", "memory"] as const) {
    const request = resources[key];
    const limit = resources.limits[key];
    if (request === undefined || limit === undefined) continue;
    const size = key === "cpu" ? cpuMillis : parseSizeBytes;
    if (size(limit) < size(request))
      throw fail(["resources", "limits", key], `the ${key} limit ${limit} is below its request ${request}`, [
        `resources: {${key}: ${request}, limits: {${key}: ${request}}} (equal: Guaranteed QoS)`,
      ]);
  }
  const k8s = block.kubernetes ?? {};
  // Built from a block the spec schema already checked: typed here, not parsed again.
  const job: JobSpec = {
    name: jobName(context.specName),
    command: block.command,
    nodes,
    procsPerNode,
    gpusPerNode: gpus.mig ? gpus : { count: gpus.count },
    shm,
    shmBytes: parseSizeBytes(shm),
    resources,
    restarts: block.restarts ?? 0,
    env: block.env ?? {},
    rendezvous,
    port: block.port ?? DEFAULT_JOB_PORT,
    slurm: {
      ...block.slurm,
      requeue: block.slurm?.requeue ?? 0,
      container: block.slurm?.container ?? "none",
    },
    kubernetes: {
      flavor: k8s.flavor ?? "indexed-job",
      namespace: k8s.namespace ?? "default",
      ...(k8s.queue ? { queue: k8s.queue } : {}),
      ...(k8s.priorityClass ? { priorityClass: k8s.priorityClass } : {}),
      ...(k8s.serviceAccount ? { serviceAccount: k8s.serviceAccount } : {}),
      ...(k8s.workspaceClaim ? { workspaceClaim: k8s.workspaceClaim } : {}),
      nodeSelector: k8s.nodeSelector ?? {},
      tolerations: k8s.tolerations ?? [],
    },
  };
  return job;
}

/** The number of ranks each node starts (`gpu` becomes the node's GPU count). */
export function procsOf(job: JobSpec): number {
  return job.procsPerNode === "gpu" ? job.gpusPerNode.count : job.procsPerNode;
}
