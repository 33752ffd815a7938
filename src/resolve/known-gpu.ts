/**
 * Refuses GPU names and architectures the catalog does not know, before they
 * reach the resolver as a target it cannot check: `sm_999` (no such compute
 * capability) and `MI300X` (not an NVIDIA GPU) fail with the nearest names
 * the catalog has. Names the catalog infers from a series (an RTX 4070 Super)
 * are known. Pure.
 */
import { parseComputeCapability, smName } from "../catalog/gpu-name.js";
import { GPUS } from "../catalog/gpus.js";
import { UsageError } from "../errors/torchstack-error.js";
import { editDistance } from "../spec/edit-distance.js";
import { gpuTarget } from "./gpu-target.js";

const KNOWN_ARCHS = [...new Set(GPUS.map((g) => smName(g.computeCapability)))].sort();
const KNOWN_NAMES = [...new Set(GPUS.flatMap((g) => [g.name, ...g.aliases]))];

/** The `count` candidates closest to `word`, nearest first. */
function closest(word: string, candidates: readonly string[], count = 3): string[] {
  const w = word.toLowerCase();
  return candidates
    .map((name) => ({ name, distance: editDistance(w, name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((c) => c.name);
}

export function assertKnownGpu(value: string, flag = "--gpu"): void {
  const cc = parseComputeCapability(value);
  if (cc) {
    if (KNOWN_ARCHS.includes(smName(cc))) return;
    throw new UsageError(
      `${flag} ${value}: no GPU has compute capability ${cc}; nearest known: ${closest(smName(cc), KNOWN_ARCHS).join(", ")}`,
    );
  }
  if (gpuTarget(value).computeCapability !== null) return;
  const amd = /^(?:amd\s*)?(?:instinct\s*)?mi\d|radeon/i.test(value)
    ? " (AMD GPUs run ROCm, not CUDA: torchstack builds CUDA environments)"
    : "";
  throw new UsageError(
    `${flag} "${value}" is not an NVIDIA GPU torchstack knows${amd}; nearest known: ${closest(value, KNOWN_NAMES).join(", ")} (or give its sm_XY)`,
  );
}
