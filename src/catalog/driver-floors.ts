/**
 * The oldest NVIDIA driver a wheel build can run on for given GPUs: the CUDA
 * family minimum under minor-version compatibility, raised by the GPU
 * architectures' own floors (a driver branch that predates an architecture
 * cannot drive it, whatever the CUDA minor-version floor says: Blackwell
 * sm_100/sm_120 needs R570 or newer) and, for a GPU that runs the build only by
 * JIT-compiling its PTX, the toolkit's own driver (minor-version compatibility
 * does not cover PTX JIT). `minimumDriverFor(variant, gpuArchs)` is the one
 * answer the resolver, the lock and the image's minimum-driver label share.
 */
import { archFit } from "./arch-fit.js";
import { cudaFamily, cudaToolkit } from "./cuda-toolkits.js";
import { capabilityParts, smName } from "./gpu-name.js";
import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";
import type { WheelVariant } from "./torch-release-types.js";
import { compareVersions } from "./version-order.js";

export interface ArchDriverFloor {
  /** "Blackwell (sm_100, sm_120)". */
  label: string;
  /** Compute capabilities ("10.0") this floor applies to. */
  capabilities: readonly string[];
  /** The oldest Linux driver whose branch knows these GPUs. */
  minDriver: string;
  source: Provenance;
}

const toolkitNotes = (toolkit: string, driver: string): Provenance => ({
  status: "primary-copy",
  ref: `NVIDIA CUDA Toolkit Release Notes, "CUDA Toolkit and Corresponding Driver Versions": ${toolkit} GA ≥ ${driver} (verbatim copy, compat-facts C)`,
  date: "2026-10",
  file: COMPAT_FACTS_FILE,
});

/** Newest architecture first; a GPU takes the floor of the first row listing its capability. */
export const ARCH_DRIVER_FLOORS: readonly ArchDriverFloor[] = [
  {
    label: "Thor (sm_110)",
    capabilities: ["11.0"],
    minDriver: "580.65.06",
    source: {
      ...toolkitNotes("13.0", "580.65.06"),
      status: "unverified",
      note: "sm_110 is CUDA 13.0's name for Thor (aarch64 cu130 builds only): the 13.0 GA driver, inferred",
    },
  },
  {
    label: "Blackwell Ultra and GB10 (sm_103, sm_121)",
    capabilities: ["10.3", "12.1"],
    minDriver: "575.51.03",
    source: {
      ...toolkitNotes("12.9", "575.51.03"),
      status: "unverified",
      note: "CUDA 12.9 is the first toolkit naming sm_103 and sm_121: its GA driver, inferred",
    },
  },
  {
    label: "Blackwell (sm_100, sm_120)",
    capabilities: ["10.0", "12.0"],
    minDriver: "570.26",
    source: {
      ...toolkitNotes("12.8", "570.26"),
      status: "secondary",
      note: "compat-facts G: Blackwell needs a driver branch that knows it, R570 or newer (12.8 GA, the first toolkit with sm_100/sm_120, ships 570.26)",
    },
  },
  {
    label: "Hopper and Ada (sm_90, sm_89)",
    capabilities: ["9.0", "8.9"],
    minDriver: "520.61.05",
    source: {
      ...toolkitNotes("11.8", "520.61.05"),
      note: "CUDA 11.8 is the first toolkit with sm_89/sm_90",
    },
  },
];

/** The driver floor of one GPU architecture ("10.0", "sm_100"), when it has one. */
export function archDriverFloor(gpuArch: string): ArchDriverFloor | undefined {
  const parts = capabilityParts(gpuArch);
  if (!parts) return undefined;
  const cc = `${parts.major}.${parts.minor}`;
  return ARCH_DRIVER_FLOORS.find((floor) => floor.capabilities.includes(cc));
}

/** Why a variant needs a driver: each floor that applies, highest first. */
export interface DriverFloorReason {
  minDriver: string;
  why: string;
}

/**
 * Every floor that applies to `variant` on these GPUs (capabilities "10.0" or "sm_100"),
 * highest first; empty for a cpu build. Unreadable capabilities are skipped.
 */
export function driverFloors(variant: WheelVariant, gpuArchs: readonly string[] = []): DriverFloorReason[] {
  if (variant.cuda === null) return [];
  const reasons: DriverFloorReason[] = [];
  const family = cudaFamily(variant.cuda);
  const major = variant.cuda.split(".")[0];
  if (family)
    reasons.push({ minDriver: family.minDriver, why: `CUDA ${major}.x minor-version compatibility` });
  const toolkit = cudaToolkit(variant.cuda);
  for (const arch of gpuArchs) {
    const parts = capabilityParts(arch);
    if (!parts) continue;
    const cc = `${parts.major}.${parts.minor}`;
    const floor = archDriverFloor(cc);
    if (floor)
      reasons.push({ minDriver: floor.minDriver, why: `${floor.label} needs driver ≥ ${floor.minDriver}` });
    if (toolkit && archFit(variant.archList, cc).kind === "ptx") {
      reasons.push({
        minDriver: toolkit.toolkitDriver,
        why: `${smName(cc)} only JIT-compiles ${variant.wheel}'s PTX, which needs the CUDA ${toolkit.build} driver`,
      });
    }
  }
  return reasons.sort((a, b) => compareVersions(b.minDriver, a.minDriver));
}

/**
 * The oldest driver `variant` runs on for GPUs of these architectures ("10.0", "sm_100"):
 * the highest of its CUDA family floor, each architecture's floor and, where a GPU depends on
 * the build's PTX, the toolkit's own driver. null for a cpu build.
 */
export function minimumDriverFor(variant: WheelVariant, gpuArchs: readonly string[] = []): string | null {
  return driverFloors(variant, gpuArchs)[0]?.minDriver ?? null;
}
