/**
 * requestFromSpec(): a ResolveRequest from torchstack.yaml and, optionally, the
 * host. The spec's `gpu` (one name or a comma-separated list) names the GPUs the
 * image targets; without it the host's GPUs are the targets. The host's driver is
 * checked whenever host facts are given (null = no driver). Flags are layered on
 * top by the resolve command.
 */
import type { HostFacts } from "../host/host-facts.js";
import type { Spec } from "../spec/schema.js";
import { gpuTarget, hostGpuTarget, uniqueTargets } from "./gpu-target.js";
import type { GpuTarget, ResolveRequest } from "./resolve-request.js";

function gpuTargetsFromSpec(gpu: string | undefined): GpuTarget[] | undefined {
  if (gpu === undefined || gpu.trim() === "") return undefined;
  return uniqueTargets(
    gpu
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "")
      .map(gpuTarget),
  );
}

export function requestFromSpec(spec: Spec, host?: HostFacts): ResolveRequest {
  const specGpus = gpuTargetsFromSpec(spec.gpu);
  const hostGpus = host ? uniqueTargets(host.gpus.map(hostGpuTarget)) : [];
  const request: ResolveRequest = { gpus: specGpus ?? hostGpus };
  if (spec.torch !== undefined) request.torch = spec.torch;
  if (spec.cuda !== undefined) request.cuda = spec.cuda;
  if (spec.python !== undefined) request.python = spec.python;
  if (spec.flavor !== undefined) request.flavor = spec.flavor;
  if (spec.torchSource !== undefined) request.torchSource = spec.torchSource;
  if (spec.base !== undefined && !spec.base.startsWith("image:")) request.base = spec.base;
  if (host) request.driver = host.driver;
  return request;
}

/** The request when there is no spec: only what the host says (or nothing). */
export function requestFromHost(host?: HostFacts): ResolveRequest {
  if (!host) return {};
  return { driver: host.driver, gpus: uniqueTargets(host.gpus.map(hostGpuTarget)) };
}
