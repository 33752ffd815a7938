// Every alternative offered resolves: a sweep over the whole catalog (unpinned, every
// release, and every release with each of its CUDA variants) × every catalog GPU ×
// drivers from R470 to R610 and none. The resolver reads only a GPU's compute capability,
// so GPUs that share one are swept once (the first catalog row of each capability).
// Each failure's alternatives are resolved against the same GPU and driver, and none may
// fail; every failure offers at least one.
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../../src/catalog/catalog.js";
import type { GpuInfo } from "../../../src/catalog/gpu-info.js";
import { ResolveError } from "../../../src/errors/torchstack-error.js";
import { type Alternative, applyAlternative } from "../../../src/resolve/alternatives.js";
import { gpuTarget } from "../../../src/resolve/gpu-target.js";
import type { ResolveRequest } from "../../../src/resolve/resolve-request.js";
import { resolveStack } from "../../../src/resolve/resolve-stack.js";

const drivers = ["470.82.01", "535.104.05", "570.86.15", "580.65.06", "610.1", null];

function sweep(): ResolveRequest[] {
  const requests: ResolveRequest[] = [];
  const byCapability = new Map<string, GpuInfo>();
  for (const gpu of builtinCatalog.gpus)
    if (!byCapability.has(gpu.computeCapability)) byCapability.set(gpu.computeCapability, gpu);
  for (const gpu of byCapability.values()) {
    const gpus = [gpuTarget(gpu.name)];
    for (const driver of drivers) {
      requests.push({ gpus, driver });
      for (const release of builtinCatalog.torchReleases) {
        requests.push({ torch: release.version, gpus, driver });
        for (const variant of release.variants)
          if (variant.cuda) requests.push({ torch: release.version, cuda: variant.cuda, gpus, driver });
      }
    }
  }
  return requests;
}

describe("alternatives sweep", () => {
  const requests = sweep();
  it(`every alternative of every failure resolves (${requests.length} requests)`, () => {
    let failures = 0;
    let alternativesChecked = 0;
    for (const req of requests) {
      let alternatives: Alternative[] = [];
      try {
        resolveStack(req);
        continue;
      } catch (error) {
        if (!(error instanceof ResolveError)) throw error;
        alternatives = (error.details?.alternatives ?? []) as Alternative[];
        failures += 1;
      }
      expect(alternatives.length, JSON.stringify(req)).toBeGreaterThan(0);
      for (const alternative of alternatives) {
        alternativesChecked += 1;
        const next = applyAlternative(req, alternative);
        expect(() => resolveStack(next), JSON.stringify({ req, alternative })).not.toThrow();
      }
    }
    expect(failures).toBeGreaterThan(1000);
    expect(alternativesChecked).toBeGreaterThan(failures);
  }, 120_000);
});
