/**
 * Does a torch build's arch list run on a GPU of a given compute capability,
 * and which catalog releases would? The SASS/PTX rules are the resolver's
 * (src/catalog/arch-fit.ts); this adds the capability spellings and fixes. Shared by
 * the doctor findings and the diagnose fixes (e.g. "sm_120 is not compatible"). Every
 * function takes the catalog as a value (the built-in tables merged with the overlay
 * `catalog update` wrote): its releases, and the CUDA families a fix's driver floor
 * comes from, so a release learnt there reaches the fixes.
 */

import { archFit } from "../catalog/arch-fit.js";
import type { Catalog } from "../catalog/catalog.js";
import { cudaFamily } from "../catalog/cuda-toolkits.js";
import { capabilityParts } from "../catalog/gpu-name.js";
import { cudaOfWheel } from "../catalog/torch-release-types.js";
import { compareVersions } from "../catalog/version-order.js";
import { pipInstallTorch } from "../catalog/wheel-index.js";

/** "12.0", "sm_120", "120" → [12, 0]; null when unreadable (the catalog's one parser). */
export function parseCapability(text: string): [number, number] | null {
  const cc = capabilityParts(text);
  return cc ? [cc.major, cc.minor] : null;
}

export function archSupports(archList: readonly string[], capability: string): boolean {
  const cc = parseCapability(capability);
  if (!cc) return true;
  return archFit(archList, `${cc[0]}.${cc[1]}`).kind !== "none";
}

export interface ReleaseOption {
  torch: string;
  wheels: string[];
}

/** Catalog releases (oldest first) with at least one non-experimental wheel that runs on `capability`. */
export function releasesSupporting(catalog: Catalog, capability: string): ReleaseOption[] {
  const out: ReleaseOption[] = [];
  for (const release of catalog.torchReleases) {
    if (release.unconfirmed) continue;
    const wheels = release.variants
      .filter((v) => v.cuda !== null && !v.experimental && archSupports(v.archList, capability))
      .map((v) => v.wheel);
    if (wheels.length > 0) out.push({ torch: release.version, wheels });
  }
  return out;
}

/** Concrete install lines for a capability: the first release that supports it and the newest one. */
export function archFixes(catalog: Catalog, capability: string): string[] {
  const options = releasesSupporting(catalog, capability);
  const first = options[0];
  const last = options.at(-1);
  if (!first || !last)
    return [`no torch release in the catalog has kernels for compute capability ${capability}`];
  const wheel = last.wheels.at(-1) ?? "";
  const cuda = cudaOfWheel(wheel);
  const driver = cuda ? cudaFamily(cuda, catalog.cudaFamilies)?.minDriver : undefined;
  const fixes = [
    `install torch ${last.torch} built for ${last.wheels.join(" / ")}: ${pipInstallTorch(wheel, last.torch)}${driver ? ` (needs NVIDIA driver >= ${driver})` : ""}`,
  ];
  if (first.torch !== last.torch) {
    fixes.push(
      `the oldest torch with kernels for ${capability} is ${first.torch} (${first.wheels.join(", ")})`,
    );
  }
  return fixes;
}

/**
 * Newest catalog release with a wheel whose CUDA is <= maxCuda, preferring the
 * same CUDA major as maxCuda (cu124 for a 12.4 driver, not an older cu118).
 */
export function newestWheelFor(
  catalog: Catalog,
  maxCuda: string | null,
): { torch: string; wheel: string } | null {
  if (!maxCuda) return null;
  const major = maxCuda.split(".")[0];
  const fits = (cuda: string | null, sameMajor: boolean): boolean =>
    cuda !== null && compareVersions(cuda, maxCuda) <= 0 && (!sameMajor || cuda.split(".")[0] === major);
  for (const sameMajor of [true, false]) {
    for (const release of [...catalog.torchReleases].reverse()) {
      if (release.unconfirmed) continue;
      const variant = [...release.variants].reverse().find((v) => !v.experimental && fits(v.cuda, sameMajor));
      if (variant) return { torch: release.version, wheel: variant.wheel };
    }
  }
  return null;
}
