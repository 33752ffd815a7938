/**
 * Checks one wheel variant against the target GPUs and the host driver. GPU
 * problems and driver problems are kept apart so the resolver can say which one
 * ruled a variant out (E_GPU_UNSUPPORTED vs E_DRIVER_TOO_OLD). A GPU that can
 * only JIT the wheel's PTX raises the driver needed to the toolkit's own driver.
 * Warnings are things that run but deserve a word (PTX JIT on first start).
 */
import { archDriverFloor } from "../catalog/arch-driver-floors.js";
import { cudaFamily, cudaToolkit, driverAtLeast } from "../catalog/cuda-toolkits.js";
import { smName } from "../catalog/gpu-name.js";
import type { WheelVariant } from "../catalog/torch-releases.js";
import { archFit } from "./arch-fit.js";
import { humanList } from "./human-list.js";
import type { GpuTarget } from "./resolve-request.js";

export interface VariantCheck {
  variant: WheelVariant;
  gpuProblems: string[];
  driverProblem: string | undefined;
  /** The driver this variant needs for these GPUs (see requiredDriver); null for cpu. */
  minDriver: string | null;
  warnings: string[];
}

export function isUsable(check: VariantCheck): boolean {
  return check.gpuProblems.length === 0 && check.driverProblem === undefined;
}

/** Minimum driver for a variant under minor-version compatibility; null for cpu. */
export function minDriverFor(variant: WheelVariant): string | null {
  return variant.cuda === null ? null : (cudaFamily(variant.cuda)?.minDriver ?? null);
}

/** "sm_90" for a bare capability target, "H100 SXM (sm_90)" for a named GPU. */
export function gpuLabel(gpu: GpuTarget): string {
  const sm = smName(gpu.computeCapability ?? "");
  return gpu.label === sm ? sm : `${gpu.label} (${sm})`;
}

/** The targets that can run this variant only by JIT-compiling its PTX (no usable SASS). */
function ptxOnly(variant: WheelVariant, gpus: readonly GpuTarget[]): GpuTarget[] {
  if (variant.cuda === null) return [];
  return gpus.filter(
    (gpu) =>
      gpu.computeCapability !== null && archFit(variant.archList, gpu.computeCapability).kind === "ptx",
  );
}

/**
 * The driver a variant needs for these GPUs: the family minimum under minor-version
 * compatibility, or, when a GPU depends on the wheel's PTX, the toolkit's own driver,
 * because minor-version compatibility does not cover JIT-compiling PTX from a newer
 * toolkit (compat-facts C, rule 2; NVIDIA minor-version compatibility page).
 */
export function requiredDriver(variant: WheelVariant, gpus: readonly GpuTarget[] = []): string | null {
  const family = minDriverFor(variant);
  if (family === null || variant.cuda === null) return family;
  const toolkit = cudaToolkit(variant.cuda);
  const cuda =
    !toolkit || ptxOnly(variant, gpus).length === 0 || driverAtLeast(family, toolkit.toolkitDriver)
      ? family
      : toolkit.toolkitDriver;
  // The highest of the variant's floor and each target architecture's (Blackwell: a driver branch that knows it).
  const arch = archDriverFloor(gpus.map((g) => g.computeCapability));
  return arch && !driverAtLeast(cuda, arch.driver) ? arch.driver : cuda;
}

export function checkGpus(variant: WheelVariant, gpus: readonly GpuTarget[]): string[] {
  if (variant.cuda === null) return [];
  const problems: string[] = [];
  for (const gpu of gpus) {
    if (gpu.computeCapability === null) continue;
    if (archFit(variant.archList, gpu.computeCapability).kind === "none") {
      const archs = variant.archList.join(" ");
      problems.push(`no code for ${gpuLabel(gpu)}: ${variant.wheel} carries ${archs}`);
    }
  }
  return problems;
}

export function checkDriver(
  variant: WheelVariant,
  driver: string | null | undefined,
  gpus: readonly GpuTarget[] = [],
): string | undefined {
  const minimum = requiredDriver(variant, gpus);
  if (minimum === null || typeof driver !== "string" || driverAtLeast(driver, minimum)) return undefined;
  const family = minDriverFor(variant);
  if (family !== null && driverAtLeast(driver, family)) {
    const toolkit = variant.cuda ? cudaToolkit(variant.cuda) : undefined;
    const jit = humanList(ptxOnly(variant, gpus).map(gpuLabel));
    return `${jit} can only JIT-compile ${variant.wheel}'s PTX, which needs the CUDA ${toolkit?.build ?? variant.cuda} driver ≥ ${minimum} (minor-version compatibility does not cover PTX JIT); the host driver is ${driver}`;
  }
  const major = variant.cuda?.split(".")[0] ?? "";
  return `needs NVIDIA driver ≥ ${minimum} (CUDA ${major}.x minor-version compatibility); the host driver is ${driver}`;
}

function jitWarnings(variant: WheelVariant, gpus: readonly GpuTarget[]): string[] {
  return ptxOnly(variant, gpus).map((gpu) => {
    const fit = archFit(variant.archList, gpu.computeCapability ?? "");
    return `${gpuLabel(gpu)} has no SASS in ${variant.wheel}: the driver JIT-compiles ${fit.kind === "ptx" ? fit.arch : "its"} PTX on first use (slow first start; cached in ~/.nv/ComputeCache)`;
  });
}

export function checkVariant(
  variant: WheelVariant,
  gpus: readonly GpuTarget[],
  driver: string | null | undefined,
): VariantCheck {
  return {
    variant,
    gpuProblems: checkGpus(variant, gpus),
    driverProblem: checkDriver(variant, driver, gpus),
    minDriver: requiredDriver(variant, gpus),
    warnings: jitWarnings(variant, gpus),
  };
}
