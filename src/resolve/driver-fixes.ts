/**
 * The fixes of E_GPU_UNSUPPORTED and E_DRIVER_TOO_OLD that are not another
 * request: the driver to upgrade to, and CUDA forward compatibility where NVIDIA
 * supports it (data-center GPUs on the R535/R570 branches, never GeForce). The
 * requests that would run are alternatives, written by with-alternatives.ts.
 */
import { lookupGpu } from "../catalog/gpus.js";
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { versionParts } from "../catalog/version-order.js";
import { requiredDriver } from "./check-variant.js";
import type { GpuTarget, ResolveRequest } from "./resolve-request.js";

/** Driver branches NVIDIA's forward-compatibility table lists as supported bases for cuda-compat-13-x. */
const FORWARD_COMPAT_BRANCHES = [535, 570];

/** Catalog names of data-center parts: K80, P100, V100, T4, A10, A100, A40, L4, L40S, H100, H200, B200, GB200, GH200. */
const DATA_CENTER_NAME = /^(?:Tesla )?(?:G[BH]\d{3}|[ABHKLPTV]\d{1,3}[A-Z]?)(?:\s|$)/;

/** "data-center": forward compatibility applies; "other": it does not (GeForce, workstation); "unknown": a bare sm_XY. */
export function gpuClass(gpu: GpuTarget): "data-center" | "other" | "unknown" {
  const info = lookupGpu(gpu.label);
  if (!info || info.generic) return "unknown";
  return DATA_CENTER_NAME.test(info.name) ? "data-center" : "other";
}

function forwardCompat(
  driver: string,
  variant: WheelVariant,
  gpus: readonly GpuTarget[],
): string | undefined {
  const branch = versionParts(driver)[0] ?? 0;
  if (variant.cuda === null || !variant.cuda.startsWith("13.") || !FORWARD_COMPAT_BRANCHES.includes(branch)) {
    return undefined;
  }
  const classes = gpus.filter((g) => g.computeCapability !== null).map(gpuClass);
  if (classes.includes("other")) return undefined;
  const pkg = `cuda-compat-${variant.cuda.replace(".", "-")}`;
  const only =
    classes.every((c) => c === "data-center") && classes.length > 0 ? "" : " (NVIDIA data-center GPUs only)";
  return `install ${pkg} and put /usr/local/cuda-${variant.cuda}/compat on LD_LIBRARY_PATH${only}: CUDA forward compatibility supports the R${branch} branch`;
}

export function driverFixes(
  release: TorchRelease,
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
  gpuOk: readonly WheelVariant[],
): string[] {
  const preferred = gpuOk[0];
  if (!preferred) return [];
  const fixes = [
    `upgrade the NVIDIA driver to ≥ ${requiredDriver(preferred, gpus)} (for torch ${release.version} ${preferred.wheel})`,
  ];
  const compat = typeof req.driver === "string" ? forwardCompat(req.driver, preferred, gpus) : undefined;
  if (compat) fixes.push(compat);
  return fixes;
}
