import { describe, expect, it } from "vitest";
import {
  cudaFamily,
  cudaToolkit,
  driverAtLeast,
  maxCudaForDriver,
} from "../../../src/catalog/cuda-toolkits.js";

describe("maxCudaForDriver", () => {
  it.each([
    ["570.124.06", "12.8"],
    ["570.86.15", "12.8"],
    ["580.65.06", "13.0"],
    ["535.104.05", "12.2"],
    ["560.35.03", "12.6"],
    ["595.45.04", "13.2"],
    ["525.60.13", "12.0"],
    ["520.61.05", "11.8"],
    ["470.256.02", null],
  ])("driver %s → CUDA %s", (driver, cuda) => {
    expect(maxCudaForDriver(driver)).toBe(cuda);
  });
});

describe("family minimums (minor-version compatibility)", () => {
  it("are 450.80.02 / 525.60.13 / 580 for CUDA 11 / 12 / 13", () => {
    expect(cudaFamily("11.8")?.minDriver).toBe("450.80.02");
    expect(cudaFamily("12.8")?.minDriver).toBe("525.60.13");
    // Regression: NVIDIA states the 13.x minimum as ">= 580" (a branch); 580.65.06 is the
    // 13.0 GA toolkit driver. `--driver 580` used to be rejected for cu13x wheels.
    expect(cudaFamily("13.0")?.minDriver).toBe("580");
    expect(driverAtLeast("580", cudaFamily("13.2")?.minDriver ?? "")).toBe(true);
    expect(driverAtLeast("575.57.08", cudaFamily("13.0")?.minDriver ?? "")).toBe(false);
  });

  it("keeps the toolkit driver of the newest update PyTorch built with (PTX JIT needs it)", () => {
    // Regression: cu130 is 13.0.2 from torch 2.11 (pytorch PR #175253); 13.0 U2 needs 580.95.05.
    expect(cudaToolkit("13.0")).toMatchObject({
      build: "13.0.2",
      toolkitDriver: "580.95.05",
      gaDriver: "580.65.06",
    });
    expect(cudaToolkit("12.8")).toMatchObject({ build: "12.8.1", toolkitDriver: "570.124.06" });
    expect(cudaToolkit("12.6")).toMatchObject({ build: "12.6.3", toolkitDriver: "560.35.05" });
  });

  it("compares driver versions numerically, not as strings", () => {
    expect(driverAtLeast("570.124.06", "570.26")).toBe(true);
    expect(driverAtLeast("570.26", "570.124.06")).toBe(false);
    expect(driverAtLeast("1000.1", "999.99.99")).toBe(true);
  });
});
