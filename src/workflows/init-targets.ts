/**
 * What `torchstack init` writes as `targets` on a machine with an NVIDIA driver:
 * the host's GPUs (one entry per distinct name; `sm_XY` from nvidia-smi's compute
 * capability for a GPU the catalog does not know, which a spec may not name), its driver as the floor
 * ("570.86.15" → "570.86"), and the wheel CUDA the preset's torch runs with on
 * them, so the spec and its lock no longer depend on the machine that resolves.
 */
import type { Catalog } from "../catalog/catalog.js";
import { smName } from "../catalog/gpu-name.js";
import { isKnownGpu } from "../catalog/known-gpu.js";
import type { HostFacts } from "../host/host-facts.js";
import { requestFromSpec, resolvedForSpec } from "../resolve/request-from-spec.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import type { Preset } from "../spec/presets.js";
import type { HostTargets } from "../spec/spec-template.js";
import type { Platform } from "../spec/targets-schema.js";

/** The driver as a floor: major.minor of the host's version. */
export function driverFloor(driver: string): string {
  return driver.split(".").slice(0, 2).join(".");
}

export function hostTargets(
  preset: Preset,
  host: HostFacts | null,
  platform: Platform,
  catalog: Catalog,
): HostTargets | undefined {
  if (!host?.driver || preset.torchSource === "distro") return undefined;
  const gpus = [
    ...new Set(
      host.gpus.map((g) =>
        !isKnownGpu(g.name) && g.computeCapability !== null ? smName(g.computeCapability) : g.name,
      ),
    ),
  ];
  const driver = driverFloor(host.driver);
  const spec = {
    name: "init",
    targets: { gpus, driver },
    ...(preset.torch ? { torch: preset.torch } : {}),
    python: preset.python,
  };
  let cuda: string | null = null;
  try {
    cuda = resolveStack(requestFromSpec(spec, resolvedForSpec(spec, undefined, platform)), catalog).stack
      .cuda;
  } catch {
    // the preset's torch does not run here: the template keeps the preset's CUDA and resolve says why
  }
  return { gpus, driver, cuda };
}
