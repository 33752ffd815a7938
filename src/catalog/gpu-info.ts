/** The shape of one GPU in the catalog; the rows themselves are in gpus.ts. */
import type { Provenance } from "./provenance.js";

export interface GpuPeaks {
  /** Dense TFLOP/s (no sparsity). Absent where the GPU has no such unit or the figure is unknown. */
  fp32?: number;
  tf32?: number;
  fp16?: number;
  bf16?: number;
  fp8?: number;
}

export interface GpuInfo {
  /** Canonical name, e.g. "H100 SXM". */
  name: string;
  /** Lower-case names and fragments nvidia-smi or users write: "h100", "nvidia h100 80gb hbm3". */
  aliases: readonly string[];
  /** Compute capability as "9.0". */
  computeCapability: string;
  /**
   * Provenance of the capability alone (compat-facts D: secondary sources and PyTorch
   * warnings agree, NVIDIA's CUDA GPUs page was not retrieved, so formally unverified).
   * `source` covers the datasheet figures.
   */
  computeCapabilitySource?: Provenance;
  memoryGiB: number;
  /** Datasheet memory bandwidth in GB/s. */
  bandwidthGBs: number;
  peakTflops: GpuPeaks;
  /** True for a bare capability target ("sm_90"): no datasheet, memory and bandwidth are 0. */
  generic?: boolean;
  source: Provenance;
}
