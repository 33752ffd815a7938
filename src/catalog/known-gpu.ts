/**
 * GPU names and architectures the catalog does not know, caught before they reach the resolver as a target
 * it cannot check: `sm_999` (no such compute capability), `MI300X` (not an NVIDIA GPU) and typos (`H1000`)
 * fail with the nearest names the catalog has, from `--gpu` and from the spec's `targets.gpus` / `gpu` alike.
 * Names the catalog infers from a series (an RTX 4070 Super) are known. Pure.
 */
import { closest } from "../errors/edit-distance.js";
import { UsageError } from "../errors/torchstack-error.js";
import { parseComputeCapability, smName } from "./gpu-name.js";
import { seriesCapability } from "./gpu-series.js";
import { GPUS, lookupGpu } from "./gpus.js";

const KNOWN_ARCHS = [...new Set(GPUS.map((g) => smName(g.computeCapability)))].sort();
/** Every name and alias, with the catalog's own name for it: "nearest known" lists the catalog's names. */
const NAME_OF = new Map(GPUS.flatMap((g) => [g.name, ...g.aliases].map((alias) => [alias, g.name] as const)));

/** The catalog names nearest to `name` by any of their aliases, nearest first. */
function nearestNames(name: string, count = 3): string[] {
  const ranked = closest(name, [...NAME_OF.keys()], NAME_OF.size).map((alias) => NAME_OF.get(alias) ?? alias);
  return [...new Set(ranked)].slice(0, count);
}

/** Does the catalog know `value`: a name, an alias, a name of a known series, or a known sm_XY / X.Y? */
export function isKnownGpu(value: string): boolean {
  const name = value.trim();
  const cc = parseComputeCapability(name);
  if (cc) return KNOWN_ARCHS.includes(smName(cc));
  return lookupGpu(name) !== undefined || seriesCapability(name) !== undefined;
}

/**
 * Why `value` names no GPU the catalog knows, as a phrase that starts with the value (`sm_999: no GPU has…`,
 * `"H1000" is not…`) and ends with the nearest known names; undefined when it is known.
 */
export function unknownGpuReason(value: string): string | undefined {
  if (isKnownGpu(value)) return undefined;
  const name = value.trim();
  const cc = parseComputeCapability(name);
  if (cc)
    return `${name}: no GPU has compute capability ${cc}; nearest known: ${closest(smName(cc), KNOWN_ARCHS).join(", ")}`;
  const amd = /^(?:amd\s*)?(?:instinct\s*)?mi\d|radeon/i.test(name)
    ? " (AMD GPUs run ROCm, not CUDA: torchstack builds CUDA environments)"
    : "";
  return `"${name}" is not an NVIDIA GPU torchstack knows${amd}; nearest known: ${nearestNames(name).join(", ")} (or give its sm_XY)`;
}

export function assertKnownGpu(value: string, flag = "--gpu"): void {
  const reason = unknownGpuReason(value);
  if (reason === undefined) return;
  throw new UsageError(`${flag} ${reason}`);
}
