/**
 * CPU and memory per node: the spec's `job.resources` as Kubernetes requests
 * and limits (with defaults, so no pod is BestEffort), as Slurm's
 * `--cpus-per-task` / `--mem` (only what the spec writes), and the QoS class a
 * pod gets from them. Pure arithmetic on quantities; no I/O.
 */
import type { JobResources, JobSpec } from "./job-types.js";
import { parseSizeBytes } from "./size.js";

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** `8` → 8000, `0.5` → 500, `"500m"` → 500. */
export function cpuMillis(cpu: string): number {
  return cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Math.round(Number(cpu) * 1000);
}

/** Millicores as a Kubernetes CPU quantity: whole cores as `8`, else `500m`. */
export function cpuQuantity(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes as a Kubernetes quantity: whole GiB as `NGi`, else whole MiB as `NMi`, else bytes. */
export function memoryQuantity(bytes: number): string {
  if (bytes % GIB === 0) return `${bytes / GIB}Gi`;
  if (bytes % MIB === 0) return `${bytes / MIB}Mi`;
  return String(bytes);
}

export interface PodCompute {
  requests: { cpuMillis: number; memoryBytes: number };
  limits: { cpuMillis?: number; memoryBytes?: number };
  /** Which requests are torchstack's defaults (not written in the spec). */
  defaulted: ("cpu" | "memory")[];
}

/**
 * Requests from the spec, else one CPU per rank and /dev/shm plus 1 GiB per
 * rank (the in-memory shm is charged to the pod); limits only as written.
 */
export function podCompute(job: JobSpec, ranks: number): PodCompute {
  const { cpu, memory, limits } = job.resources;
  const perRank = Math.max(1, ranks);
  return {
    requests: {
      cpuMillis: cpu !== undefined ? cpuMillis(cpu) : perRank * 1000,
      memoryBytes: memory !== undefined ? parseSizeBytes(memory) : job.shmBytes + perRank * GIB,
    },
    limits: {
      ...(limits.cpu !== undefined ? { cpuMillis: cpuMillis(limits.cpu) } : {}),
      ...(limits.memory !== undefined ? { memoryBytes: parseSizeBytes(limits.memory) } : {}),
    },
    defaulted: [
      ...(cpu === undefined ? ["cpu" as const] : []),
      ...(memory === undefined ? ["memory" as const] : []),
    ],
  };
}

/** Requests and limits as Kubernetes resource lists (`cpu`, `memory`). */
export function computeLists(compute: PodCompute): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const { requests, limits } = compute;
  return {
    requests: { cpu: cpuQuantity(requests.cpuMillis), memory: memoryQuantity(requests.memoryBytes) },
    limits: {
      ...(limits.cpuMillis !== undefined ? { cpu: cpuQuantity(limits.cpuMillis) } : {}),
      ...(limits.memoryBytes !== undefined ? { memory: memoryQuantity(limits.memoryBytes) } : {}),
    },
  };
}

/**
 * The pod's QoS class (GPUs do not count): Guaranteed when CPU and memory
 * limits equal their requests, else Burstable — requests are always set, so never BestEffort.
 */
export function qosClass(compute: PodCompute): "Guaranteed" | "Burstable" {
  const { requests, limits } = compute;
  return limits.cpuMillis === requests.cpuMillis && limits.memoryBytes === requests.memoryBytes
    ? "Guaranteed"
    : "Burstable";
}

/** Slurm's `--cpus-per-task` and `--mem` for what the spec writes (nothing defaulted: Slurm has its own). */
export function slurmCompute(resources: JobResources): string[] {
  const lines: string[] = [];
  if (resources.cpu !== undefined)
    lines.push(`--cpus-per-task=${Math.ceil(cpuMillis(resources.cpu) / 1000)}`);
  if (resources.memory !== undefined)
    lines.push(`--mem=${Math.ceil(parseSizeBytes(resources.memory) / MIB)}M`);
  return lines;
}
