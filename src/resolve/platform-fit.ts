/**
 * Platforms in resolution: which CPU architecture a stack is for, and which of a
 * release's wheels exist there. A variant lists its platforms (`platforms`, from
 * the wheel index); without the field it is known for x86_64 only. The cpu wheel
 * exists on both. An aarch64 CUDA build has its own compiled architectures (the
 * build scripts filter the list for aarch64): the aarch64 view of a release uses
 * them, and leaves out an aarch64 build whose architectures no source names.
 * GH200, GB200/GB300, GB10 (DGX Spark) and Thor/Jetson hosts are aarch64 (Grace
 * or Arm SoC), so naming one as a target implies aarch64, whether the target
 * comes from the spec or a flag; a platform the user asked for (spec or flag)
 * that says x86_64 is E_PLATFORM_MISMATCH naming both sides.
 */
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { ResolveError } from "../errors/torchstack-error.js";
import type { Platform } from "../spec/targets-schema.js";
import { humanList } from "./human-list.js";
import type { GpuTarget } from "./resolve-request.js";

const AARCH64_ONLY_GPU = /\b(?:GH200|GB200|GB300|GB10|Thor|Jetson|Orin|DGX Spark|Spark)\b/i;

/** The targets that exist only on aarch64 hosts. */
export function aarch64OnlyGpus(gpus: readonly GpuTarget[]): GpuTarget[] {
  return gpus.filter((g) => AARCH64_ONLY_GPU.test(g.label));
}

/** aarch64 when a target GPU exists only there; undefined when the GPUs do not decide. */
export function impliedPlatform(gpus: readonly GpuTarget[]): Platform | undefined {
  return aarch64OnlyGpus(gpus).length > 0 ? "aarch64" : undefined;
}

/** Where a request's platform came from: asked in the spec or by a flag, or this host's (a default). */
export type PlatformFrom = "spec" | "flag" | "host";

/**
 * The platform to resolve for: the one asked (spec or flag), else the one a target GPU implies,
 * else the default (the host's). A request without `platformFrom` counts as asked.
 */
export function effectivePlatform(
  platform: Platform | undefined,
  from: PlatformFrom | undefined,
  gpus: readonly GpuTarget[],
): Platform {
  const asked = from === "host" ? undefined : platform;
  return asked ?? impliedPlatform(gpus) ?? platform ?? "x86_64";
}

function whoAsked(platform: Platform, from: PlatformFrom | undefined): { said: string; fix: string } {
  if (from === "flag")
    return {
      said: `--platform ${platform} asks for ${platform}`,
      fix: "use --platform aarch64, or drop --platform to follow the target GPUs",
    };
  return {
    said: `the spec says platform: ${platform}`,
    fix: "set platform: aarch64 in torchstack.yaml, or remove the platform key to follow the target GPUs",
  };
}

export function checkPlatform(platform: Platform, gpus: readonly GpuTarget[], from?: PlatformFrom): void {
  const arm = aarch64OnlyGpus(gpus);
  if (platform === "aarch64" || arm.length === 0) return;
  const { said, fix } = whoAsked(platform, from);
  throw new ResolveError(
    "E_PLATFORM_MISMATCH",
    `${humanList(arm.map((g) => g.label))} ${arm.length === 1 ? "runs" : "run"} only on aarch64 hosts (Grace or Arm CPU), but ${said}`,
    { remedies: [fix] },
  );
}

export function variantRunsOn(variant: WheelVariant, platform: Platform): boolean {
  if (variant.platforms) return variant.platforms.includes(platform);
  return variant.cuda === null || platform === "x86_64";
}

/** The variant as built for `platform`: on aarch64 a CUDA build takes its aarch64 arch list; undefined when unknown. */
function variantOn(variant: WheelVariant, platform: Platform): WheelVariant | undefined {
  if (!variantRunsOn(variant, platform)) return undefined;
  if (platform !== "aarch64" || variant.cuda === null) return variant;
  if (!variant.aarch64) return undefined;
  return { ...variant, archList: variant.aarch64.archList, archSource: variant.aarch64.source };
}

const views = new WeakMap<readonly TorchRelease[], Map<Platform, readonly TorchRelease[]>>();

/** The releases with only the variants built for `platform`, as built there (cached per catalog). */
export function releasesFor(releases: readonly TorchRelease[], platform: Platform): readonly TorchRelease[] {
  const byPlatform = views.get(releases) ?? new Map<Platform, readonly TorchRelease[]>();
  views.set(releases, byPlatform);
  const cached = byPlatform.get(platform);
  if (cached) return cached;
  const view =
    platform === "x86_64" && releases.every((r) => r.variants.every((v) => variantRunsOn(v, platform)))
      ? releases
      : releases.map((r) => ({
          ...r,
          ...(platform === "aarch64" && r.pypiAarch64 ? { pypiDefault: r.pypiAarch64 } : {}),
          variants: r.variants.flatMap((v) => variantOn(v, platform) ?? []),
        }));
  byPlatform.set(platform, view);
  return view;
}
