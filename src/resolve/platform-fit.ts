/**
 * Platforms in resolution: which CPU architecture a stack is for, and which of a
 * release's wheels exist there. A variant lists its platforms (`platforms`, from
 * the wheel index); without the field it is known for x86_64 only. The cpu wheel
 * exists on both. GH200, GB200/GB300, GB10 and Thor/Jetson hosts are aarch64
 * (Grace or Arm SoC), so naming one as a target implies aarch64, and asking for
 * x86_64 with one is E_PLATFORM_MISMATCH.
 */
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { ResolveError } from "../errors/torchstack-error.js";
import type { Platform } from "../spec/targets-schema.js";
import { humanList } from "./human-list.js";
import type { GpuTarget } from "./resolve-request.js";

const AARCH64_ONLY_GPU = /\b(?:GH200|GB200|GB300|GB10|Thor|Jetson|Orin|DGX Spark)\b/i;

/** The targets that exist only on aarch64 hosts. */
export function aarch64OnlyGpus(gpus: readonly GpuTarget[]): GpuTarget[] {
  return gpus.filter((g) => AARCH64_ONLY_GPU.test(g.label));
}

/** aarch64 when a target GPU exists only there; undefined when the GPUs do not decide. */
export function impliedPlatform(gpus: readonly GpuTarget[]): Platform | undefined {
  return aarch64OnlyGpus(gpus).length > 0 ? "aarch64" : undefined;
}

export function checkPlatform(platform: Platform, gpus: readonly GpuTarget[]): void {
  const arm = aarch64OnlyGpus(gpus);
  if (platform === "aarch64" || arm.length === 0) return;
  throw new ResolveError(
    "E_PLATFORM_MISMATCH",
    `${humanList(arm.map((g) => g.label))} ${arm.length === 1 ? "runs" : "run"} only on aarch64 hosts, but the platform asked is x86_64`,
    {
      remedies: ["set platform: aarch64 in torchstack.yaml (or drop the platform key to follow the targets)"],
    },
  );
}

export function variantRunsOn(variant: WheelVariant, platform: Platform): boolean {
  if (variant.platforms) return variant.platforms.includes(platform);
  return variant.cuda === null || platform === "x86_64";
}

const views = new WeakMap<readonly TorchRelease[], Map<Platform, readonly TorchRelease[]>>();

/** The releases with only the variants that have wheels for `platform` (cached per catalog). */
export function releasesFor(releases: readonly TorchRelease[], platform: Platform): readonly TorchRelease[] {
  const byPlatform = views.get(releases) ?? new Map<Platform, readonly TorchRelease[]>();
  views.set(releases, byPlatform);
  const cached = byPlatform.get(platform);
  if (cached) return cached;
  const fits = releases.every((r) => r.variants.every((v) => variantRunsOn(v, platform)));
  const view = fits
    ? releases
    : releases.map((r) => ({ ...r, variants: r.variants.filter((v) => variantRunsOn(v, platform)) }));
  byPlatform.set(platform, view);
  return view;
}
