/**
 * Turning what a user, a spec or the host says about GPUs into GpuTargets: a
 * catalog name ("H100", "NVIDIA H100 80GB HBM3") or a capability ("sm_90").
 * Unknown names keep a null capability: the resolver warns instead of failing.
 */

import { smName } from "../catalog/gpu-name.js";
import { lookupGpu } from "../catalog/gpus.js";
import type { HostGpu } from "../host/host-facts.js";
import type { GpuTarget } from "./resolve-request.js";

export function gpuTarget(nameOrArch: string): GpuTarget {
  const label = nameOrArch.trim();
  const info = lookupGpu(label);
  if (!info) return { label, computeCapability: null };
  return {
    label: info.generic ? smName(info.computeCapability) : info.name,
    computeCapability: info.computeCapability,
  };
}

/** A host GPU as nvidia-smi reported it; its reported capability wins over the catalog's. */
export function hostGpuTarget(gpu: HostGpu): GpuTarget {
  const computeCapability = gpu.computeCapability ?? lookupGpu(gpu.name)?.computeCapability ?? null;
  return { label: gpu.name, computeCapability };
}

/** One target per distinct (label, capability): eight H100s are checked once. */
export function uniqueTargets(targets: readonly GpuTarget[]): GpuTarget[] {
  const seen = new Map<string, GpuTarget>();
  for (const target of targets) seen.set(`${target.label}\u0000${target.computeCapability}`, target);
  return [...seen.values()];
}
