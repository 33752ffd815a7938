/**
 * resolveStack(): the pure heart of `torchstack resolve`. From a request and
 * the catalog it picks the exact stack that runs (resolve-core.ts), or throws a
 * ResolveError whose `alternatives` are requests proven to resolve against the
 * same targets, and whose fixes are written from them. No I/O.
 */
import { builtinCatalog, type Catalog } from "../catalog/catalog.js";
import type { TorchRelease } from "../catalog/torch-releases.js";
import { ResolveError } from "../errors/torchstack-error.js";
import { alternativeFix } from "./alternative-fix.js";
import { type Alternative, findAlternatives } from "./alternatives.js";
import { resolveCore } from "./resolve-core.js";
import type { ResolveRequest, ResolveResult } from "./resolve-request.js";

export type { Alternative } from "./alternatives.js";
export type { ResolveRequest, ResolveResult } from "./resolve-request.js";

function withAlternatives(
  error: ResolveError,
  req: ResolveRequest,
  releases: readonly TorchRelease[],
): ResolveError {
  const resolve = (r: ResolveRequest) => resolveCore(r, releases);
  const alternatives: Alternative[] = findAlternatives(req, releases, resolve);
  const gpuAlternatives = alternatives.filter((a) => a.cuda !== "cpu");
  const unconfirmed = new Set(releases.filter((r) => r.unconfirmed !== undefined).map((r) => r.version));
  const sentence = (a: Alternative) => alternativeFix(req, a, unconfirmed.has(a.torch));
  const fixes = [
    ...gpuAlternatives.map(sentence),
    ...error.remedies,
    ...(error.code === "E_GPU_UNSUPPORTED" && gpuAlternatives.length === 0
      ? [
          "no official PyTorch wheel has code for these GPUs: build torch from source with TORCH_CUDA_ARCH_LIST set to their capability",
        ]
      : []),
    ...alternatives.filter((a) => a.cuda === "cpu").map(sentence),
  ];
  return new ResolveError(error.code, error.message, {
    remedies: fixes,
    cause: error.cause,
    details: { ...error.details, alternatives },
  });
}

export function resolveStack(req: ResolveRequest, catalog: Catalog = builtinCatalog): ResolveResult {
  const releases = catalog.torchReleases;
  try {
    return resolveCore(req, releases);
  } catch (error) {
    if (!(error instanceof ResolveError) || error.code === "E_CATALOG") throw error;
    throw withAlternatives(error, req, releases);
  }
}
