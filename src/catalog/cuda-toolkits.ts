/**
 * CUDA toolkits and the Linux drivers they need. Two minimums matter: the
 * toolkit driver (full functionality, and what PTX JIT of that toolkit's PTX
 * needs) and the family minimum under minor-version compatibility (what a
 * PyTorch wheel, which bundles its CUDA runtime, needs to start at all).
 * Source: NVIDIA CUDA Toolkit Release Notes, table "CUDA Toolkit and
 * Corresponding Driver Versions" and the minor-version compatibility page.
 */

import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";
import { compareVersions } from "./version-order.js";

export interface CudaFamily {
  major: number;
  /** Minimum Linux driver for any toolkit of this major under minor-version compatibility. */
  minDriver: string;
  /** NVIDIA's wording of the range, kept for messages. */
  range: string;
  source: Provenance;
}

export interface CudaToolkit {
  /** "12.8" */
  version: string;
  /** The update PyTorch builds with where known ("12.8.1"), else the GA release. */
  build: string;
  /** Linux x86_64 driver shipped with / required by `build` (full features, PTX JIT). */
  toolkitDriver: string;
  /** Driver of the GA release; `maxCudaForDriver` uses it, like nvidia-smi's "CUDA Version". */
  gaDriver: string;
  source: Provenance;
}

const notes: Provenance = {
  status: "primary-copy",
  ref: "NVIDIA CUDA Toolkit Release Notes, Table 3 (verbatim copies of the 13.1, 13.2 U2 and 13.4 U1 notes)",
  date: "2026-10",
  file: COMPAT_FACTS_FILE,
};

export const CUDA_FAMILIES: readonly CudaFamily[] = [
  {
    major: 11,
    minDriver: "450.80.02",
    range: ">= 450.80.02, < 525 under minor-version compatibility",
    source: {
      ...notes,
      ref: "docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html (copy)",
    },
  },
  {
    major: 12,
    minDriver: "525.60.13",
    range: ">= 525.60.13 (NVIDIA: >= 525, < 580; the < 580 bound limits only minor-version compat)",
    source: {
      ...notes,
      ref: "docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html (copy)",
    },
  },
  {
    major: 13,
    // NVIDIA gives the 13.x minimum as a branch, ">= 580" (no build number), unlike 11.x/12.x.
    // 580.65.06 is the 13.0 GA *toolkit* driver (CUDA_TOOLKITS below), not the family minimum.
    minDriver: "580",
    range: ">= 580, no upper bound (any R580 or newer driver; 580.65.06 shipped with 13.0 GA)",
    source: {
      ...notes,
      ref: "docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html (copy); 13.4 U1 notes (copy)",
      note: "'Existing CUDA 13.x applications run on drivers >=580 under CUDA minor version compatibility'",
    },
  },
];

const unverified = (note: string): Provenance => ({
  status: "unverified",
  ref: "memory",
  date: "2026-11",
  file: COMPAT_FACTS_FILE,
  note,
});

/** Sorted by version. Only the minor releases matter to the resolver; updates are folded into `build`. */
export const CUDA_TOOLKITS: readonly CudaToolkit[] = [
  {
    version: "11.7",
    build: "11.7",
    toolkitDriver: "515.43.04",
    gaDriver: "515.43.04",
    source: unverified("11.7 GA driver not in compat-facts; value from memory of the NVIDIA table"),
  },
  { version: "11.8", build: "11.8", toolkitDriver: "520.61.05", gaDriver: "520.61.05", source: notes },
  { version: "12.0", build: "12.0", toolkitDriver: "525.60.13", gaDriver: "525.60.13", source: notes },
  { version: "12.1", build: "12.1.1", toolkitDriver: "530.30.02", gaDriver: "530.30.02", source: notes },
  { version: "12.2", build: "12.2", toolkitDriver: "535.54.03", gaDriver: "535.54.03", source: notes },
  { version: "12.3", build: "12.3", toolkitDriver: "545.23.06", gaDriver: "545.23.06", source: notes },
  { version: "12.4", build: "12.4.1", toolkitDriver: "550.54.15", gaDriver: "550.54.14", source: notes },
  { version: "12.5", build: "12.5", toolkitDriver: "555.42.02", gaDriver: "555.42.02", source: notes },
  {
    version: "12.6",
    build: "12.6.3",
    toolkitDriver: "560.35.05",
    gaDriver: "560.28.03",
    source: { ...notes, note: "PyTorch cu126 builds use 12.6.3" },
  },
  {
    version: "12.8",
    build: "12.8.1",
    toolkitDriver: "570.124.06",
    gaDriver: "570.26",
    source: {
      ...notes,
      note: "PyTorch cu128 uses 12.8.0/12.8.1; 570.124.06 is what the 12.8 U1 PTX JIT needs",
    },
  },
  {
    version: "12.9",
    build: "12.9.1",
    toolkitDriver: "575.57.08",
    gaDriver: "575.51.03",
    source: { ...notes, note: "which 12.9 update PyTorch used is UNVERIFIED; U1 driver taken to be safe" },
  },
  {
    version: "13.0",
    build: "13.0.2",
    toolkitDriver: "580.95.05",
    gaDriver: "580.65.06",
    source: {
      ...notes,
      ref: `${notes.ref}; pytorch/pytorch PR #175253 (RELEASE.md: 13.0.0 for 2.9/2.10, 13.0.2 for 2.11)`,
      note: "PyTorch cu130 moved from 13.0.0 to 13.0.2 in 2.11; the 13.0 Update 2 driver is kept so PTX JIT is safe for both",
    },
  },
  { version: "13.1", build: "13.1", toolkitDriver: "590.44.01", gaDriver: "590.44.01", source: notes },
  {
    version: "13.2",
    build: "13.2.1",
    toolkitDriver: "595.58.03",
    gaDriver: "595.45.04",
    source: { ...notes, note: "PyTorch cu132 uses 13.2.1 (pytorch PR #182849)" },
  },
  {
    version: "13.3",
    build: "13.3",
    toolkitDriver: "610",
    gaDriver: "610",
    source: { ...notes, note: "the notes list only the driver branch (R610), not a build number" },
  },
  {
    version: "13.4",
    build: "13.4",
    toolkitDriver: "615",
    gaDriver: "615",
    source: { ...notes, note: "the notes list only the driver branch (R615), not a build number" },
  },
];

/** The family of a CUDA version (its major), from `families` (a catalog's; default the built-in table). */
export function cudaFamily(
  cuda: string,
  families: readonly CudaFamily[] = CUDA_FAMILIES,
): CudaFamily | undefined {
  const major = Number(cuda.split(".")[0]);
  return families.find((f) => f.major === major);
}

/** The toolkit of a CUDA minor, from `toolkits` (a catalog's; default the built-in table). */
export function cudaToolkit(
  cuda: string,
  toolkits: readonly CudaToolkit[] = CUDA_TOOLKITS,
): CudaToolkit | undefined {
  return toolkits.find((t) => t.version === cuda);
}

/** True when `driver` (e.g. "570.86.15") is at least `minimum` ("525.60.13"), compared numerically. */
export function driverAtLeast(driver: string, minimum: string): boolean {
  return compareVersions(driver, minimum) >= 0;
}

/**
 * The newest CUDA minor this driver fully supports (its GA toolkit driver is met),
 * like the "CUDA Version" nvidia-smi prints; null when the driver predates 11.7.
 * Wheels of the same major also start on older drivers under minor-version compatibility.
 */
export function maxCudaForDriver(
  driver: string,
  toolkits: readonly CudaToolkit[] = CUDA_TOOLKITS,
): string | null {
  let best: string | null = null;
  for (const toolkit of toolkits) if (driverAtLeast(driver, toolkit.gaDriver)) best = toolkit.version;
  return best;
}
