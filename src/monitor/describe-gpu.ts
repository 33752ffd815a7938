/**
 * A one-line catalog description for a GPU name as nvidia-smi prints it, from
 * H1's catalog (`lookupGpu`): canonical name, compute capability, dense bf16 or
 * fp16 peak and memory bandwidth, with the catalog's own caveat when unverified.
 */
import { lookupGpu } from "../catalog/gpus.js";

export function describeGpu(nvidiaSmiName: string): string | undefined {
  const info = lookupGpu(nvidiaSmiName);
  if (!info || info.generic) return undefined;
  const parts = [info.name, `sm_${info.computeCapability.replace(".", "")}`];
  const peak = info.peakTflops.bf16 ?? info.peakTflops.fp16;
  if (peak !== undefined)
    parts.push(`peak ${peak} TFLOP/s ${info.peakTflops.bf16 !== undefined ? "bf16" : "fp16"}`);
  if (info.bandwidthGBs > 0) parts.push(`${info.bandwidthGBs} GB/s`);
  if (info.source.status === "unverified") parts.push("(unverified)");
  return parts.join(" · ");
}
