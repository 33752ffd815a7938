/**
 * What a resolution is for, and the request that follows from it. The spec's
 * `targets` (GPUs by name or sm_XY, a driver floor) or its older `gpu` key win;
 * without them the host's GPUs and driver are the targets. The platform is the
 * spec's, else the one a target GPU implies (GH200 → aarch64), else the host's.
 * `ResolvedFor` is what the lock records, so `lock --check`, `build` and `up`
 * re-resolve for the same targets on any machine without reading the host.
 */
import type { HostFacts } from "../host/host-facts.js";
import type { Spec } from "../spec/schema.js";
import { distroBaseOf } from "../spec/spec-checks.js";
import type { Platform } from "../spec/targets-schema.js";
import { gpuTarget, hostGpuTarget, uniqueTargets } from "./gpu-target.js";
import { impliedPlatform } from "./platform-fit.js";
import type { GpuTarget, ResolveRequest } from "./resolve-request.js";

export interface ResolvedFor {
  /** targets: the spec's `targets` (or `gpu`); host: the machine that locked; none: nothing was checked. */
  source: "targets" | "host" | "none";
  platform: Platform;
  gpus: { label: string; computeCapability: string | null }[];
  /** The driver checked against: a version, "none" (no driver), or null (not checked). */
  driver: string | null;
}

/** Does the spec name its own targets (then the host is never read)? */
export function hasTargets(spec: Spec): boolean {
  return spec.targets !== undefined || spec.gpu !== undefined;
}

function specGpus(spec: Spec): GpuTarget[] | undefined {
  const names = spec.targets?.gpus ?? spec.gpu?.split(",");
  if (names === undefined) return undefined;
  return uniqueTargets(
    names
      .map((name) => name.trim())
      .filter((name) => name !== "")
      .map(gpuTarget),
  );
}

/** Targets from the spec when it names them, else from the host (undefined = host not read). */
export function resolvedForSpec(
  spec: Spec,
  host: HostFacts | undefined,
  hostPlatform: Platform,
): ResolvedFor {
  const gpus = specGpus(spec);
  const fromSpec = spec.targets !== undefined || gpus !== undefined;
  const targets = fromSpec ? (gpus ?? []) : host ? uniqueTargets(host.gpus.map(hostGpuTarget)) : [];
  const driver = fromSpec ? (spec.targets?.driver ?? null) : host ? (host.driver ?? "none") : null;
  const source = fromSpec ? "targets" : host ? "host" : "none";
  return {
    source,
    platform: spec.platform ?? impliedPlatform(targets) ?? hostPlatform,
    gpus: targets.map((g) => ({ label: g.label, computeCapability: g.computeCapability })),
    driver,
  };
}

/** The request for a spec resolved for `resolvedFor`; flags are layered on top by the resolve command. */
export function requestFromSpec(spec: Spec, resolvedFor: ResolvedFor): ResolveRequest {
  const request: ResolveRequest = targetsRequest(resolvedFor);
  // Only the spec's own platform key is asked for; otherwise a target GPU (spec or flag) decides.
  request.platformFrom = spec.platform !== undefined ? "spec" : "host";
  if (spec.torch !== undefined) request.torch = spec.torch;
  if (spec.cuda !== undefined) request.cuda = spec.cuda;
  if (spec.python !== undefined) request.python = spec.python;
  if (spec.flavor !== undefined) request.flavor = spec.flavor;
  if (spec.torchSource !== undefined) request.torchSource = spec.torchSource;
  // Distro torch depends on the release, which an image:REF base can name (…/debian:13).
  if (spec.torchSource === "distro") request.base = distroBaseOf(spec);
  else if (spec.base !== undefined && !spec.base.startsWith("image:")) request.base = spec.base;
  return request;
}

/** The targets part of a request: GPUs, driver ("none" → null = no driver) and platform. */
export function targetsRequest(resolvedFor: ResolvedFor): ResolveRequest {
  const request: ResolveRequest = {
    gpus: resolvedFor.gpus.map((g) => ({ ...gpuTarget(g.label), ...g })),
    platform: resolvedFor.platform,
  };
  if (resolvedFor.driver !== null) request.driver = resolvedFor.driver === "none" ? null : resolvedFor.driver;
  return request;
}

/** The request when there is no spec: only what the host says (or nothing). */
export function requestFromHost(host: HostFacts | undefined, hostPlatform: Platform): ResolveRequest {
  const request: ResolveRequest = { platform: hostPlatform, platformFrom: "host" };
  if (!host) return request;
  const gpus = uniqueTargets(host.gpus.map(hostGpuTarget));
  return { ...request, driver: host.driver, gpus, platform: impliedPlatform(gpus) ?? hostPlatform };
}
