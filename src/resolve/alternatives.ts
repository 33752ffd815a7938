/**
 * Alternatives: requests that resolve, offered when one does not. Each is a
 * small override of the failed request (`{"torch":"2.11.0","cuda":"12.8"}`, with
 * `python` when it changes), tried against the same targets (GPUs, driver,
 * platform) and kept only when it resolves, so every alternative printed is
 * one the user can run. Candidates, nearest to what was asked first: the same
 * torch with another CUDA or Python, the newest torch that runs (with the pinned
 * CUDA, then any, then on a variant RELEASE.md lists), the nearest known releases,
 * and a CPU-only build last.
 */
import type { TorchRelease } from "../catalog/torch-releases.js";
import { versionParts } from "../catalog/version-order.js";
import { checkVariant, isUsable } from "./check-variant.js";
import { findRelease, hasPython, nearestReleases, newestFirst } from "./find-release.js";
import { gpuTarget } from "./gpu-target.js";
import { policyOrder } from "./policy-order.js";
import type { ResolveRequest, ResolveResult } from "./resolve-request.js";

/** One request that resolves: exact torch, the wheel's CUDA ("12.8") or "cpu", and Python when it changes. */
export interface Alternative {
  torch: string;
  cuda: string;
  python?: string;
}

export type Resolver = (req: ResolveRequest) => ResolveResult;

const MAX_GPU_ALTERNATIVES = 4;

type Override = Pick<ResolveRequest, "torch" | "cuda" | "python"> & { nearest?: boolean };

function knownRelease(
  releases: readonly TorchRelease[],
  torch: string | undefined,
): TorchRelease | undefined {
  if (torch === undefined) return undefined;
  try {
    return findRelease(releases, torch).release;
  } catch {
    return undefined;
  }
}

/** A cheap pre-check before a full resolve: some CUDA variant (the pinned one, if any) runs on the targets. */
function mayRun(release: TorchRelease, req: ResolveRequest, cuda: string | undefined): boolean {
  if (req.python !== undefined && !hasPython(release, req.python)) return false;
  const gpus = (req.gpus ?? []).map((g) => (typeof g === "string" ? gpuTarget(g) : g));
  return release.variants.some(
    (v) =>
      v.cuda !== null &&
      (cuda === undefined || v.cuda === cuda) &&
      isUsable(checkVariant(v, gpus, req.driver)),
  );
}

/**
 * The newest confirmed release with a variant in RELEASE.md's matrix (not index-only, not
 * experimental) that runs on the targets, as an explicit request; an index-only build that runs
 * is offered too, but users often want the listed one.
 */
function newestListed(releases: readonly TorchRelease[], req: ResolveRequest): Override[] {
  const gpus = (req.gpus ?? []).map((g) => (typeof g === "string" ? gpuTarget(g) : g));
  for (const release of newestFirst(releases)) {
    if (release.unconfirmed !== undefined) continue;
    if (req.python !== undefined && !release.python.includes(req.python)) continue;
    const variant = policyOrder(release).find(
      (v) => !v.indexOnly && !v.experimental && isUsable(checkVariant(v, gpus, req.driver)),
    );
    if (variant?.cuda) return [{ torch: release.version, cuda: variant.cuda }];
  }
  return [];
}

/** Confirmed releases other than `release`, nearest version first (a newer one wins a tie). */
function byDistance(releases: readonly TorchRelease[], release: TorchRelease): TorchRelease[] {
  const key = (r: TorchRelease) => {
    const [major = 0, minor = 0, patch = 0] = versionParts(r.version);
    return major * 1e6 + minor * 1e3 + patch;
  };
  const target = key(release);
  return releases
    .filter((r) => r !== release && r.unconfirmed === undefined)
    .sort((a, b) => Math.abs(key(a) - target) - Math.abs(key(b) - target) || key(b) - key(a));
}

/**
 * Groups of candidate overrides; the first override of a group that resolves stands for
 * the group. Nearest to what was asked first; CPU-only last.
 */
function candidateGroups(req: ResolveRequest, releases: readonly TorchRelease[]): Override[][] {
  const release = knownRelease(releases, req.torch);
  const pinnedCuda =
    req.cuda !== undefined && req.cuda !== "auto" && req.cuda !== "cpu" ? req.cuda : undefined;
  const groups: Override[][] = [];
  const wheels = req.torchSource !== "distro";
  if (release && wheels) {
    groups.push([{ torch: release.version, cuda: "auto" }]);
    if (req.python !== undefined)
      groups.push([{ torch: release.version, cuda: req.cuda, python: undefined }]);
    // The nearest other release, only when the asked torch itself has nothing that runs.
    const near = byDistance(releases, release);
    const runs = (cuda?: string) =>
      near
        .filter((r) => mayRun(r, req, cuda))
        .map((r) => ({ torch: r.version, cuda: cuda ?? "auto", nearest: true }));
    if (pinnedCuda) groups.push(runs(pinnedCuda));
    groups.push(runs());
  }
  if (pinnedCuda) groups.push([{ torch: undefined, cuda: pinnedCuda }]);
  groups.push([{ torch: undefined, cuda: "auto" }]);
  if (wheels) groups.push(newestListed(releases, req));
  if (req.python !== undefined) groups.push([{ torch: undefined, cuda: "auto", python: undefined }]);
  if (!release && req.torch !== undefined && wheels) {
    for (const near of nearestReleases(releases, req.torch)) groups.push([{ torch: near.version }]);
  }
  groups.push([
    { torch: release?.version, cuda: "cpu" },
    { torch: release?.version, cuda: "cpu", python: undefined },
    { torch: undefined, cuda: "cpu", python: undefined },
  ]);
  return groups;
}

function tryResolve(resolve: Resolver, req: ResolveRequest): ResolveResult | undefined {
  try {
    return resolve(req);
  } catch {
    return undefined;
  }
}

/** The request an alternative stands for: the failed request with its torch, CUDA and Python replaced. */
export function applyAlternative(req: ResolveRequest, alternative: Alternative): ResolveRequest {
  const next: ResolveRequest = { ...req, torch: alternative.torch, cuda: alternative.cuda };
  if (alternative.python !== undefined) next.python = alternative.python;
  return next;
}

function withOverride(req: ResolveRequest, override: Override): ResolveRequest {
  const next: ResolveRequest = { ...req };
  for (const key of ["torch", "cuda", "python"] as const) {
    if (!(key in override)) continue;
    const value = override[key];
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

function alternativeOf(req: ResolveRequest, result: ResolveResult): Alternative {
  const { stack } = result;
  const alternative: Alternative = { torch: stack.torch, cuda: stack.cuda ?? "cpu" };
  if (req.python !== undefined && stack.python !== req.python) alternative.python = stack.python;
  return alternative;
}

/**
 * Requests that each resolve against the same targets: up to four that use the GPUs,
 * nearest to what was asked first, then one CPU-only request.
 */
export function findAlternatives(
  req: ResolveRequest,
  releases: readonly TorchRelease[],
  resolve: Resolver,
): Alternative[] {
  const found = new Map<string, Alternative>();
  for (const group of candidateGroups(req, releases)) {
    const gpuFound = [...found.values()].filter((a) => a.cuda !== "cpu").length;
    if (gpuFound >= MAX_GPU_ALTERNATIVES && group.every((o) => o.cuda !== "cpu")) continue;
    if (gpuFound > 0 && group.every((o) => o.nearest)) continue;
    for (const override of group) {
      const result = tryResolve(resolve, withOverride(req, override));
      if (!result) continue;
      const alternative = alternativeOf(req, result);
      const key = `${alternative.torch}|${alternative.cuda}|${alternative.python ?? ""}`;
      // Proven as written: the exact alternative (no "auto", no defaults) must resolve too.
      if (!found.has(key) && tryResolve(resolve, applyAlternative(req, alternative)))
        found.set(key, alternative);
      break;
    }
  }
  return [...found.values()];
}
