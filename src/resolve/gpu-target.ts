/**
 * Turning what a user, a spec or the host says about GPUs into GpuTargets: a
 * catalog name ("H100", "NVIDIA H100 80GB HBM3") or a capability ("sm_90").
 * Names without a datasheet row get their series' capability (gpu-series.ts,
 * unverified, with a warning); names nobody knows keep a null capability: the
 * resolver warns instead of failing.
 */

import { smName } from "../catalog/gpu-name.js";
import { seriesCapability } from "../catalog/gpu-series.js";
import { lookupGpu } from "../catalog/gpus.js";
import type { HostGpu } from "../host/host-facts.js";
import type { GpuTarget } from "./resolve-request.js";

export function gpuTarget(nameOrArch: string): GpuTarget {
  const label = nameOrArch.trim();
  const info = lookupGpu(label);
  if (!info) {
    const series = seriesCapability(label);
    if (!series) return { label, computeCapability: null };
    return { label, computeCapability: series.computeCapability, inferredFrom: series.series };
  }
  return {
    label: info.generic ? smName(info.computeCapability) : info.name,
    computeCapability: info.computeCapability,
  };
}

/** A host GPU as nvidia-smi reported it; its reported capability wins over the catalog's. */
export function hostGpuTarget(gpu: HostGpu): GpuTarget {
  if (gpu.computeCapability !== null) return { label: gpu.name, computeCapability: gpu.computeCapability };
  const target = gpuTarget(gpu.name);
  return { ...target, label: gpu.name };
}

/** One target per distinct (label, capability): eight H100s are checked once. */
export function uniqueTargets(targets: readonly GpuTarget[]): GpuTarget[] {
  const seen = new Map<string, GpuTarget>();
  for (const target of targets) seen.set(`${target.label}\u0000${target.computeCapability}`, target);
  return [...seen.values()];
}
