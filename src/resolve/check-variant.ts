/**
 * Checks one wheel variant against the target GPUs and the host driver. GPU
 * problems and driver problems are kept apart so the resolver can say which one
 * ruled a variant out (E_GPU_UNSUPPORTED vs E_DRIVER_TOO_OLD). Warnings are
 * things that run but deserve a word (PTX JIT, JIT on an older driver).
 */
import { cudaFamily, cudaToolkit, driverAtLeast } from "../catalog/cuda-toolkits.js";
import { smName } from "../catalog/gpu-name.js";
import type { WheelVariant } from "../catalog/torch-releases.js";
import { archFit } from "./arch-fit.js";
import type { GpuTarget } from "./resolve-request.js";

export interface VariantCheck {
  variant: WheelVariant;
  gpuProblems: string[];
  driverProblem: string | undefined;
  warnings: string[];
}

export function isUsable(check: VariantCheck): boolean {
  return check.gpuProblems.length === 0 && check.driverProblem === undefined;
}

/** Minimum driver for a variant under minor-version compatibility; null for cpu. */
export function minDriverFor(variant: WheelVariant): string | null {
  return variant.cuda === null ? null : (cudaFamily(variant.cuda)?.minDriver ?? null);
}

export function checkGpus(variant: WheelVariant, gpus: readonly GpuTarget[]): string[] {
  if (variant.cuda === null) return [];
  const problems: string[] = [];
  for (const gpu of gpus) {
    if (gpu.computeCapability === null) continue;
    if (archFit(variant.archList, gpu.computeCapability).kind === "none") {
      const archs = variant.archList.join(" ");
      problems.push(
        `no code for ${gpu.label} (${smName(gpu.computeCapability)}): ${variant.wheel} carries ${archs}`,
      );
    }
  }
  return problems;
}

export function checkDriver(variant: WheelVariant, driver: string | null | undefined): string | undefined {
  const minimum = minDriverFor(variant);
  if (minimum === null || typeof driver !== "string" || driverAtLeast(driver, minimum)) return undefined;
  const major = variant.cuda?.split(".")[0] ?? "";
  return `needs NVIDIA driver ≥ ${minimum} (CUDA ${major}.x minor-version compatibility); the host driver is ${driver}`;
}

function jitWarnings(
  variant: WheelVariant,
  gpus: readonly GpuTarget[],
  driver: string | null | undefined,
): string[] {
  if (variant.cuda === null) return [];
  const warnings: string[] = [];
  const toolkit = cudaToolkit(variant.cuda);
  for (const gpu of gpus) {
    if (gpu.computeCapability === null) continue;
    const fit = archFit(variant.archList, gpu.computeCapability);
    if (fit.kind !== "ptx") continue;
    warnings.push(
      `${gpu.label} (${smName(gpu.computeCapability)}) has no SASS in ${variant.wheel}: the driver JIT-compiles ${fit.arch} PTX on first use (slow first start; cached in ~/.nv/ComputeCache)`,
    );
    if (toolkit && typeof driver === "string" && !driverAtLeast(driver, toolkit.toolkitDriver)) {
      warnings.push(
        `PTX JIT of CUDA ${toolkit.build} code needs driver ≥ ${toolkit.toolkitDriver}; the host driver ${driver} is older, so ${gpu.label} may fail with "no kernel image is available"`,
      );
    }
  }
  return warnings;
}

export function checkVariant(
  variant: WheelVariant,
  gpus: readonly GpuTarget[],
  driver: string | null | undefined,
): VariantCheck {
  return {
    variant,
    gpuProblems: checkGpus(variant, gpus),
    driverProblem: checkDriver(variant, driver),
    warnings: jitWarnings(variant, gpus, driver),
  };
}
