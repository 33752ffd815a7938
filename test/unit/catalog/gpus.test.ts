import { describe, expect, it } from "vitest";
import { GPUS, lookupGpu } from "../../../src/catalog/gpus.js";

describe("GPUS", () => {
  it("has unique names, capabilities as X.Y, and positive datasheet figures", () => {
    expect(new Set(GPUS.map((g) => g.name)).size).toBe(GPUS.length);
    for (const gpu of GPUS) {
      expect(gpu.computeCapability).toMatch(/^\d{1,2}\.\d$/);
      expect(gpu.memoryGiB).toBeGreaterThan(0);
      expect(gpu.bandwidthGBs).toBeGreaterThan(0);
      for (const value of Object.values(gpu.peakTflops)) expect(value).toBeGreaterThan(0);
      expect(gpu.source.ref).not.toBe("");
    }
  });

  it("finds every GPU by each of its own aliases (no alias is shadowed)", () => {
    for (const gpu of GPUS) {
      for (const alias of [gpu.name, ...gpu.aliases]) expect(lookupGpu(alias)?.name, alias).toBe(gpu.name);
    }
  });
});

describe("lookupGpu", () => {
  it.each([
    ["NVIDIA H100 80GB HBM3", "H100 SXM", "9.0"],
    ["NVIDIA H100 PCIe", "H100 PCIe", "9.0"],
    ["NVIDIA H100 NVL", "H100 NVL", "9.0"],
    ["Tesla V100-SXM2-16GB", "V100 SXM2 16GB", "7.0"],
    ["Tesla V100-SXM2-32GB", "V100 SXM2 32GB", "7.0"],
    ["Tesla T4", "T4", "7.5"],
    ["NVIDIA A100-SXM4-40GB", "A100 SXM4 40GB", "8.0"],
    ["NVIDIA A100-SXM4-80GB", "A100 SXM4 80GB", "8.0"],
    ["NVIDIA A100-PCIE-40GB", "A100 PCIe 40GB", "8.0"],
    ["NVIDIA A100 80GB PCIe", "A100 PCIe 80GB", "8.0"],
    ["NVIDIA A10G", "A10G", "8.6"],
    ["NVIDIA A10", "A10", "8.6"],
    ["NVIDIA L4", "L4", "8.9"],
    ["NVIDIA L40S", "L40S", "8.9"],
    ["NVIDIA RTX A6000", "RTX A6000", "8.6"],
    ["NVIDIA GeForce RTX 3090", "GeForce RTX 3090", "8.6"],
    ["NVIDIA GeForce RTX 4090", "GeForce RTX 4090", "8.9"],
    ["rtx4090", "GeForce RTX 4090", "8.9"],
    ["NVIDIA GeForce RTX 5090", "GeForce RTX 5090", "12.0"],
    ["rtx5090", "GeForce RTX 5090", "12.0"],
    ["NVIDIA H200", "H200", "9.0"],
    ["NVIDIA B200", "B200", "10.0"],
    ["NVIDIA GB200", "GB200", "10.0"],
    ["NVIDIA RTX PRO 6000 Blackwell Server Edition", "RTX PRO 6000 Blackwell", "12.0"],
    ["NVIDIA GeForce GTX 1080 Ti", "GeForce GTX 1080 Ti", "6.1"],
    ["gtx1080ti", "GeForce GTX 1080 Ti", "6.1"],
    // compat-facts F: names that used to pick a neighbouring row
    ["Tesla P100-PCIE-16GB", "Tesla P100 PCIe 16GB", "6.0"],
    ["Tesla P100-SXM2-16GB", "Tesla P100", "6.0"],
    ["Tesla V100-PCIE-32GB", "V100 PCIe 32GB", "7.0"],
    ["Tesla V100-PCIE-16GB", "V100 PCIe", "7.0"],
    ["NVIDIA GeForce RTX 3090 Ti", "GeForce RTX 3090 Ti", "8.6"],
    ["NVIDIA GeForce RTX 4090 D", "GeForce RTX 4090 D", "8.9"],
    ["NVIDIA H200 NVL", "H200 NVL", "9.0"],
    ["Tesla K80", "Tesla K80", "3.7"],
    ["h100", "H100 SXM", "9.0"],
    ["A100", "A100 SXM4 80GB", "8.0"],
  ])("%s → %s (%s)", (input, name, cc) => {
    const gpu = lookupGpu(input);
    expect(gpu?.name).toBe(name);
    expect(gpu?.computeCapability).toBe(cc);
  });

  it.each([
    ["sm_90", "9.0"],
    ["sm_90a", "9.0"],
    ["SM_120", "12.0"],
    ["sm_61", "6.1"],
    ["9.0", "9.0"],
    ["12.0", "12.0"],
  ])("reads the capability %s as a generic target %s", (input, cc) => {
    const gpu = lookupGpu(input);
    expect(gpu?.generic).toBe(true);
    expect(gpu?.computeCapability).toBe(cc);
  });

  it.each(["NVIDIA GH200 480GB", "Quadro RTX 6000", "banana", "", "sm_x"])("does not know %j", (input) => {
    expect(lookupGpu(input)).toBeUndefined();
  });
});

describe("GPU figures corrected by compat-facts F", () => {
  it("GeForce rows share one tensor convention (dense, FP32 accumulate): RTX 5090 is 209.5, not 419", () => {
    const rtx5090 = lookupGpu("NVIDIA GeForce RTX 5090");
    expect(rtx5090?.peakTflops).toMatchObject({
      fp32: 104.8,
      tf32: 104.8,
      fp16: 209.5,
      bf16: 209.5,
      fp8: 419,
    });
    const ratio = (name: string) =>
      (lookupGpu(name)?.peakTflops.fp16 ?? 0) / (lookupGpu(name)?.peakTflops.fp32 ?? 1);
    expect(ratio("RTX 5090")).toBeCloseTo(ratio("RTX 4090"), 1);
  });

  it("the PCIe P100, 32 GB V100 PCIe, 3090 Ti and H200 NVL carry their own figures", () => {
    expect(lookupGpu("Tesla P100-PCIE-16GB")?.peakTflops).toMatchObject({ fp32: 9.3, fp16: 18.7 });
    expect(lookupGpu("Tesla V100-PCIE-32GB")?.memoryGiB).toBe(32);
    expect(lookupGpu("NVIDIA GeForce RTX 3090 Ti")).toMatchObject({
      bandwidthGBs: 1008,
      peakTflops: { fp32: 40 },
    });
    expect(lookupGpu("NVIDIA H200 NVL")?.peakTflops).toMatchObject({ fp32: 60, fp16: 835.5 });
  });
});
