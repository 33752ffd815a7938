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
  memoryGiB: number;
  /** Datasheet memory bandwidth in GB/s. */
  bandwidthGBs: number;
  peakTflops: GpuPeaks;
  source: Provenance;
}
