/**
 * The shape of the PyTorch release catalog (rows are in torch-releases.ts) and
 * the small builders the data file uses, so that each row reads like the
 * compat-facts table it was copied from.
 */
import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";

export interface WheelVariant {
  /** "cu128", or "cpu". */
  wheel: string;
  /** "12.8"; null for cpu. Always the wheel name read as X.Y (cu128 → 12.8). */
  cuda: string | null;
  cudnn: string | null;
  nccl: string | null;
  /** SASS `sm_XY` and PTX `compute_XY`, ascending; empty for cpu. */
  archList: readonly string[];
  /** Published as experimental (e.g. cu132 in 2.12–2.14): chosen only when pinned or nothing else fits. */
  experimental?: boolean;
  /**
   * On the official wheel index only, not in RELEASE.md's matrix (e.g. cu129 for 2.9–2.13):
   * an official build, installed with `--index-url …/whl/cu129`; prefer the listed variants
   * and choose this one only when it is the one that runs (or when pinned).
   */
  indexOnly?: boolean;
  /** Linux platforms with wheels ("x86_64", "aarch64"); absent = x86_64 only as far as known. */
  platforms?: readonly string[];
  /**
   * The aarch64 build's compiled architectures, when the variant has one: the release build
   * scripts filter TORCH_CUDA_ARCH_LIST for aarch64 (e.g. cu130 adds sm_110 for Thor and drops
   * Turing), so they are not `archList`. A CUDA variant listing aarch64 without this field has an
   * aarch64 build whose architectures no source names: the resolver does not offer it there.
   */
  aarch64?: { archList: readonly string[]; source: Provenance };
  /**
   * CUDA runtime pin from the wheel metadata (`nvidia-cuda-runtime-cu12==12.8.90`, or since 2.11
   * the `cuda-toolkit[…]==13.0.2` meta-package).
   */
  cudaRuntime?: string | null;
  /**
   * triton requirement from the wheel metadata: the version when pinned exactly ("3.4.0"), else the
   * PEP 440 specifier ("~=3.8.0", as torch 2.14 writes it).
   */
  triton?: string | null;
  /** cuSPARSELt pin from the wheel metadata (`nvidia-cusparselt-cu13==0.8.1`), since 2.6. */
  cusparselt?: string | null;
  /** NVSHMEM pin from the wheel metadata (`nvidia-nvshmem-cu13==3.4.5`), since 2.9. */
  nvshmem?: string | null;
  /** Provenance of `archList` when weaker than `source` (inherited from the previous release). */
  archSource?: Provenance;
  source: Provenance;
}

export interface TorchRelease {
  /** Exact version, "2.7.1". */
  version: string;
  /**
   * Set (with the reason) when no primary source confirms the release's wheel set yet;
   * such releases are never the default torch, only used when pinned.
   */
  unconfirmed?: string;
  /** Release month or day, "2025-06". */
  released: string;
  /** CPython versions with wheels in the release matrix; "3.13t" = free-threaded. */
  python: readonly string[];
  /** Wheels exist but upstream calls them experimental/preview; accepted when pinned, with a warning. */
  pythonExperimental?: readonly string[];
  /**
   * Pythons with torch wheels but no torchvision (or torchaudio) wheel, e.g. 2.14's 3.15
   * preview: a stack on one of these has torchvision and torchaudio null.
   */
  torchOnlyPython?: readonly string[];
  /** PEP 440 `Requires-Python` of the wheels (">=3.10"), when read from the index. */
  requiresPython?: string;
  /** The variant `pip install torch` gets on Linux x86_64 (no --index-url). */
  pypiDefault: string;
  /**
   * What `pip install torch` gets on Linux aarch64 when it differs from `pypiDefault`: "cpu" up to
   * 2.10 (the PyPI aarch64 wheel's CUDA requirements carry `platform_machine == "x86_64"`).
   */
  pypiAarch64?: string;
  torchvision: string | null;
  torchaudio: string | null;
  /** cpu first, then CUDA variants by ascending CUDA version. */
  variants: readonly WheelVariant[];
  /** Provenance of the release-level facts (variants list, default, Python, and the pairing unless `pairingSource`). */
  source: Provenance;
  /**
   * Provenance of the torchvision/torchaudio pairing when it is weaker than `source`
   * (e.g. a patch pairing inferred from the naming pattern), so that an inferred
   * pairing does not mark the primary variant list, default and Python as unverified.
   */
  pairingSource?: Provenance;
}

/** "cu128" → "12.8", "cu130" → "13.0"; null for anything else. */
export function cudaOfWheel(wheel: string): string | null {
  const match = /^cu(\d+)(\d)$/.exec(wheel);
  return match ? `${match[1]}.${match[2]}` : null;
}

/** "3.9".."3.13" as a list; extras (free-threaded builds) appended. */
export function pythons(from: number, to: number, ...extras: string[]): string[] {
  const list: string[] = [];
  for (let minor = from; minor <= to; minor += 1) list.push(`3.${minor}`);
  return [...list, ...extras];
}

/** "5.0;6.0;7.0;9.0+PTX"-style TORCH_CUDA_ARCH_LIST → ["sm_50", …, "sm_90", "compute_90"], sorted. */
export function archList(torchCudaArchList: string): string[] {
  const sass: number[] = [];
  const ptx: number[] = [];
  for (const item of torchCudaArchList.split(";")) {
    const [cc = "", suffix] = item.split("+");
    const code = Number(cc.replace(".", ""));
    sass.push(code);
    if (suffix === "PTX") ptx.push(code);
  }
  const sorted = (codes: number[]) => [...new Set(codes)].sort((a, b) => a - b);
  return [...sorted(sass).map((c) => `sm_${c}`), ...sorted(ptx).map((c) => `compute_${c}`)];
}

export const CPU_VARIANT_SOURCE: Provenance = {
  status: "primary",
  ref: "compat-facts A: every release ships cpu wheels (download.pytorch.org/whl/cpu)",
  date: "2026-10",
  file: COMPAT_FACTS_FILE,
};

export function cpuVariant(): WheelVariant {
  return { wheel: "cpu", cuda: null, cudnn: null, nccl: null, archList: [], source: CPU_VARIANT_SOURCE };
}

export function cudaVariant(
  wheel: string,
  facts: {
    cudnn: string | null;
    nccl: string | null;
    arch: string;
    experimental?: boolean;
    indexOnly?: boolean;
    /** Provenance of the arch list when weaker or other than `source`. */
    archSource?: Provenance;
    source: Provenance;
  },
): WheelVariant {
  return {
    wheel,
    cuda: cudaOfWheel(wheel),
    cudnn: facts.cudnn,
    nccl: facts.nccl,
    archList: archList(facts.arch),
    ...(facts.experimental ? { experimental: true } : {}),
    ...(facts.indexOnly ? { indexOnly: true } : {}),
    ...(facts.archSource ? { archSource: facts.archSource } : {}),
    source: facts.source,
  };
}
