// Series capabilities for GPU names without a datasheet row (regression: "GTX 1080" and
// "RTX 3080" were unknown, so the resolver picked cu128/cu130 wheels they cannot run).
import { describe, expect, it } from "vitest";
import { seriesCapability } from "../../../src/catalog/gpu-series.js";
import { lookupGpu } from "../../../src/catalog/gpus.js";

describe("seriesCapability", () => {
  it.each([
    ["NVIDIA GeForce GTX 1080", "6.1"],
    ["gtx1070", "6.1"],
    ["NVIDIA GeForce GTX 1660 SUPER", "7.5"],
    ["NVIDIA GeForce GTX 980 Ti", "5.2"],
    ["NVIDIA GeForce RTX 2080 Ti", "7.5"],
    ["NVIDIA GeForce RTX 3080", "8.6"],
    ["rtx3060", "8.6"],
    ["NVIDIA GeForce RTX 4070 Ti SUPER", "8.9"],
    ["NVIDIA GeForce RTX 5080", "12.0"],
    ["NVIDIA RTX A4000", "8.6"],
    ["NVIDIA RTX 6000 Ada Generation", "8.9"],
    // compat-facts F: recognised now
    ["Quadro RTX 6000", "7.5"],
    ["Quadro RTX 8000", "7.5"],
    ["NVIDIA Thor", "11.0"],
    ["NVIDIA RTX PRO 4500 Blackwell", "12.0"],
    ["NVIDIA TITAN V", "7.0"],
    ["NVIDIA GH200 480GB", "9.0"],
    ["NVIDIA H20", "9.0"],
    ["NVIDIA L40", "8.9"],
    ["NVIDIA A30", "8.0"],
    ["Tesla P40", "6.1"],
    ["NVIDIA B300 SXM6 AC", "10.3"],
  ])("%s → %s (unverified)", (name, cc) => {
    const found = seriesCapability(name);
    expect(found?.computeCapability).toBe(cc);
    expect(found?.source.status).toBe("unverified");
  });

  it.each(["NVIDIA RTX 6000", "banana", "", "NVIDIA A100X"])("leaves %j unknown", (name) => {
    expect(seriesCapability(name)).toBeUndefined();
  });

  it("agrees with every datasheet row it also matches", () => {
    for (const name of ["GeForce RTX 3090", "GeForce RTX 4090", "GeForce RTX 5090", "GeForce GTX 1080 Ti"]) {
      expect(seriesCapability(name)?.computeCapability, name).toBe(lookupGpu(name)?.computeCapability);
    }
  });
});
