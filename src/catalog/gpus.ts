/**
 * NVIDIA GPUs: names and aliases → compute capability, memory, bandwidth and
 * dense datasheet peaks (TFLOP/s, no sparsity). Figures come from compat-facts.md
 * section D; a row is as strong as its weakest figure, so rows with any figure
 * from memory or an unretrieved datasheet are `unverified`. Compute capabilities
 * agree across sources and PyTorch warnings. `lookupGpu` reads nvidia-smi names,
 * user aliases and bare capabilities ("sm_90", "9.0").
 */
import type { GpuInfo, GpuPeaks } from "./gpu-info.js";
import { gpuNameTokens, parseComputeCapability, smName } from "./gpu-name.js";
import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";

const D = "2026-10";
const pcopy = (ref: string, note?: string): Provenance => ({
  status: "primary-copy",
  ref,
  date: D,
  file: COMPAT_FACTS_FILE,
  ...(note ? { note } : {}),
});
const second = (ref: string, note?: string): Provenance => ({
  status: "secondary",
  ref,
  date: D,
  file: COMPAT_FACTS_FILE,
  ...(note ? { note } : {}),
});
const unverified = (note: string, ref = "compat-facts D / memory"): Provenance => ({
  status: "unverified",
  ref,
  date: D,
  file: COMPAT_FACTS_FILE,
  note,
});
/** compat-facts F (audit 2026-12-01): rows added because a name picked a neighbouring row. */
const audited = (note: string): Provenance => ({
  status: "unverified",
  ref: "compat-facts F (audit 2026-12-01, GPU table corrections) / memory",
  date: "2026-12-01",
  file: COMPAT_FACTS_FILE,
  note,
});

function gpu(
  name: string,
  computeCapability: string,
  memoryGiB: number,
  bandwidthGBs: number,
  peakTflops: GpuPeaks,
  aliases: string[],
  source: Provenance,
): GpuInfo {
  return {
    name,
    aliases,
    computeCapability,
    computeCapabilitySource: CC_SOURCE,
    memoryGiB,
    bandwidthGBs,
    peakTflops,
    source,
  };
}

/** compat-facts D: every capability source is secondary, so the column is formally UNVERIFIED. */
const CC_SOURCE: Provenance = {
  status: "unverified",
  ref: "compat-facts D (gpu-ark.ru, fpsbench, sysrqmts, PyTorch sm_XY warnings in user logs)",
  date: D,
  file: COMPAT_FACTS_FILE,
  note: "secondary sources and PyTorch's own warnings agree; NVIDIA's CUDA GPUs page was not retrieved",
};

const a100Ref = "glennklockwood (cites the A100 datasheet), thundercompute";
const a100Peaks: GpuPeaks = { fp32: 19.5, tf32: 156, fp16: 312, bf16: 312 };
const hopperSxm: GpuPeaks = { fp32: 67, tf32: 494.7, fp16: 989, bf16: 989, fp8: 1979 };

export const GPUS: readonly GpuInfo[] = [
  gpu(
    "Tesla K80",
    "3.7",
    12,
    240,
    { fp32: 4.37 },
    ["k80"],
    unverified("per GPU (a K80 board is two GPUs); figures from memory"),
  ),
  gpu(
    "Tesla P100",
    "6.0",
    16,
    732,
    { fp32: 10.6, fp16: 21.2 },
    ["p100", "p100 sxm2 16gb"],
    unverified("SXM2 figures from memory"),
  ),
  gpu(
    "Tesla P100 PCIe 16GB",
    "6.0",
    16,
    732,
    { fp32: 9.3, fp16: 18.7 },
    ["p100 pcie", "p100 pcie 16gb"],
    audited("PCIe part: 9.3 FP32, 18.7 FP16 (not the SXM2 figures)"),
  ),
  gpu(
    "GeForce GTX 1080 Ti",
    "6.1",
    11,
    484,
    { fp32: 11.3 },
    ["gtx 1080 ti", "1080 ti"],
    unverified("from memory; no tensor cores, FP16 at 1/64 rate"),
  ),
  gpu(
    "V100 SXM2 16GB",
    "7.0",
    16,
    900,
    { fp32: 15.7, fp16: 125 },
    ["v100", "v100 sxm2", "v100 sxm2 16gb"],
    unverified("FP16 125 [P] NVIDIA tensor-core blog; FP32 [S]; memory/bandwidth UNVERIFIED"),
  ),
  gpu(
    "V100 SXM2 32GB",
    "7.0",
    32,
    900,
    { fp32: 15.7, fp16: 125 },
    ["v100 sxm2 32gb", "v100 32gb"],
    unverified("as V100 SXM2 16GB"),
  ),
  gpu(
    "V100 PCIe",
    "7.0",
    16,
    900,
    { fp32: 14, fp16: 112 },
    ["v100 pcie", "v100 pcie 16gb"],
    unverified("PCIe 112/14 UNVERIFIED"),
  ),
  gpu(
    "V100 PCIe 32GB",
    "7.0",
    32,
    900,
    { fp32: 14, fp16: 112 },
    ["v100 pcie 32gb"],
    audited("32 GB PCIe part (Tesla V100-PCIE-32GB); compute figures as V100 PCIe, UNVERIFIED"),
  ),
  gpu(
    "T4",
    "7.5",
    16,
    320,
    { fp32: 8.1, fp16: 65 },
    ["t4"],
    unverified("geektopia/sysrqmts [S]; datasheet not retrieved; no BF16/TF32"),
  ),
  gpu(
    "A100 SXM4 40GB",
    "8.0",
    40,
    1555,
    a100Peaks,
    ["a100 sxm4 40gb", "a100 sxm 40gb", "a100 40gb"],
    second(a100Ref),
  ),
  gpu("A100 PCIe 40GB", "8.0", 40, 1555, a100Peaks, ["a100 pcie 40gb", "a100 pcie"], second(a100Ref)),
  gpu(
    "A100 SXM4 80GB",
    "8.0",
    80,
    2039,
    a100Peaks,
    ["a100", "a100 sxm4 80gb", "a100 sxm 80gb", "a100 80gb", "a100 sxm4", "a100 sxm"],
    second(a100Ref),
  ),
  gpu("A100 PCIe 80GB", "8.0", 80, 1935, a100Peaks, ["a100 pcie 80gb", "a100 80gb pcie"], second(a100Ref)),
  gpu(
    "A10",
    "8.6",
    24,
    600,
    { fp32: 31.2, tf32: 62.5, fp16: 125, bf16: 125 },
    ["a10"],
    unverified("memory/bandwidth/FP32 [S] baseten, sysrqmts; tensor figures UNVERIFIED"),
  ),
  gpu(
    "A10G",
    "8.6",
    24,
    600,
    { fp32: 31.2 },
    ["a10g"],
    unverified("AWS variant of GA102; not in compat-facts; from memory"),
  ),
  gpu(
    "A40",
    "8.6",
    48,
    696,
    { fp32: 37.4, tf32: 74.8, fp16: 149.7, bf16: 149.7 },
    ["a40"],
    pcopy("A40 datasheet text reproduced on ecer.com"),
  ),
  gpu(
    "RTX A6000",
    "8.6",
    48,
    768,
    { fp32: 38.7 },
    ["rtx a6000", "a6000"],
    unverified("not in compat-facts; from memory; tensor rates omitted"),
  ),
  gpu(
    "GeForce RTX 3090",
    "8.6",
    24,
    936,
    { fp32: 35.6, tf32: 35.6, fp16: 71, bf16: 71 },
    ["rtx 3090", "3090"],
    unverified(
      "FP32 [S] igorslab; tensor (FP32 accumulate) and bandwidth from the GA102 whitepaper, not retrieved",
    ),
  ),
  gpu(
    "GeForce RTX 3090 Ti",
    "8.6",
    24,
    1008,
    { fp32: 40, tf32: 40, fp16: 80, bf16: 80 },
    ["rtx 3090 ti", "3090 ti"],
    audited(
      "40 TFLOPS FP32, 1,008 GB/s; tensor rates (FP32 accumulate) at 2x FP32 as the 3090 row, UNVERIFIED",
    ),
  ),
  gpu(
    "L4",
    "8.9",
    24,
    300,
    { fp32: 30.3, tf32: 60, fp16: 121, bf16: 121, fp8: 242.5 },
    ["l4"],
    second("grokipedia, SourceCode store, fpsbench"),
  ),
  gpu(
    "L40S",
    "8.9",
    48,
    864,
    { fp32: 91.6, tf32: 183, fp16: 362.05, bf16: 362.05, fp8: 733 },
    ["l40s"],
    pcopy("L40/L40S datasheet table reproduced on mullet.se"),
  ),
  gpu(
    "GeForce RTX 4090",
    "8.9",
    24,
    1008,
    { fp32: 82.6, tf32: 82.6, fp16: 165.2, bf16: 165.2, fp8: 330.3 },
    ["rtx 4090", "4090"],
    second("waredb", "FP32-accumulate tensor rates; Ada whitepaper not retrieved"),
  ),
  gpu(
    "GeForce RTX 4090 D",
    "8.9",
    24,
    1008,
    { fp32: 73.5, tf32: 73.5, fp16: 147, bf16: 147, fp8: 294 },
    ["rtx 4090 d", "4090 d"],
    audited("China-market 4090 with fewer SMs; figures from memory, FP32-accumulate tensor rates"),
  ),
  gpu(
    "H100 SXM",
    "9.0",
    80,
    3350,
    hopperSxm,
    ["h100", "h100 sxm", "h100 sxm5", "h100 80gb hbm3", "h100 sxm5 80gb"],
    pcopy("H100 datasheet table reproduced at hpctech"),
  ),
  gpu(
    "H100 PCIe",
    "9.0",
    80,
    2000,
    { fp32: 51, tf32: 378, fp16: 756.5, bf16: 756.5, fp8: 1513 },
    ["h100 pcie", "h100 80gb pcie", "h100 pcie 80gb"],
    pcopy("H100 datasheet table reproduced at hpctech"),
  ),
  gpu(
    "H100 NVL",
    "9.0",
    94,
    3900,
    { fp32: 60, tf32: 417.5, fp16: 835.5, bf16: 835.5, fp8: 1670.5 },
    ["h100 nvl"],
    unverified("94 GB / 3.9 TB/s UNVERIFIED in compat-facts; peaks from memory (halved sparse figures)"),
  ),
  gpu(
    "H200",
    "9.0",
    141,
    4800,
    hopperSxm,
    ["h200", "h200 sxm", "h200 141gb hbm3e"],
    second("lzwjava, aiwiki, ai-hpc", "same compute die as H100 SXM; datasheet not retrieved"),
  ),
  gpu(
    "H200 NVL",
    "9.0",
    141,
    4800,
    { fp32: 60, tf32: 417.5, fp16: 835.5, bf16: 835.5, fp8: 1670.5 },
    ["h200 nvl"],
    audited("600 W part: 60 TFLOPS FP32, 835.5 dense FP16 (compat-facts F); TF32/FP8 as H100 NVL"),
  ),
  gpu(
    "B200",
    "10.0",
    180,
    7700,
    { fp32: 75, tf32: 1100, fp16: 2250, bf16: 2250, fp8: 4500 },
    ["b200", "hgx b200"],
    pcopy("NVIDIA HGX B200 spec table reproduced on zdszero.github.io"),
  ),
  gpu(
    "GB200",
    "10.0",
    186,
    8000,
    { fp32: 80, tf32: 1250, fp16: 2500, bf16: 2500, fp8: 5000 },
    ["gb200", "gb200 nvl72"],
    unverified(
      "186 GB / 8 TB/s / BF16 5 PF sparse [P-copy]; other peaks derived from NVL72 totals from memory; some listings say 192 GB",
    ),
  ),
  gpu(
    "GeForce RTX 5090",
    "12.0",
    32,
    1792,
    { fp32: 104.8, tf32: 104.8, fp16: 209.5, bf16: 209.5, fp8: 419 },
    ["rtx 5090", "5090"],
    audited(
      "FP32-accumulate dense tensor rates like the other GeForce rows: half of the FP16-accumulate 419 (FP16/BF16) and 838 (FP8) in compat-facts D; TF32 at the FP32 rate as on the 4090; UNVERIFIED",
    ),
  ),
  gpu(
    "RTX PRO 6000 Blackwell",
    "12.0",
    96,
    1792,
    { fp32: 125 },
    [
      "rtx pro 6000",
      "rtx pro 6000 blackwell",
      "rtx pro 6000 blackwell server edition",
      "rtx pro 6000 blackwell workstation edition",
    ],
    unverified("not in compat-facts; 96 GB GDDR7 and figures from memory"),
  ),
];

function genericGpu(computeCapability: string): GpuInfo {
  return {
    name: `${smName(computeCapability)} (compute capability ${computeCapability})`,
    aliases: [],
    computeCapability,
    memoryGiB: 0,
    bandwidthGBs: 0,
    peakTflops: {},
    generic: true,
    source: unverified("a bare capability target: no datasheet figures", "user input"),
  };
}

const aliasTable = GPUS.flatMap((info) =>
  [info.name, ...info.aliases].map((alias) => ({ info, tokens: gpuNameTokens(alias) })),
);

/**
 * A catalog GPU for a name as nvidia-smi or a user writes it, or a generic entry
 * for a capability ("sm_90", "9.0"); undefined when unknown. Matching is by
 * tokens: the alias whose words all appear in the name and that has the most words wins.
 */
export function lookupGpu(nameOrAlias: string): GpuInfo | undefined {
  const cc = parseComputeCapability(nameOrAlias);
  if (cc) return genericGpu(cc);
  const tokens = new Set(gpuNameTokens(nameOrAlias));
  if (tokens.size === 0) return undefined;
  let best: { info: GpuInfo; score: number } | undefined;
  for (const { info, tokens: aliasTokens } of aliasTable) {
    if (aliasTokens.length === 0 || !aliasTokens.every((token) => tokens.has(token))) continue;
    const score = aliasTokens.length * 2 + (aliasTokens.length === tokens.size ? 1 : 0);
    if (!best || score > best.score) best = { info, score };
  }
  return best?.info;
}
