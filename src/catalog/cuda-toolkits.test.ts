import { describe, expect, it } from "vitest";
import { cudaFamily, driverAtLeast, maxCudaForDriver } from "./cuda-toolkits.js";

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
  it("are 450.80.02 / 525.60.13 / 580.65.06 for CUDA 11 / 12 / 13", () => {
    expect(cudaFamily("11.8")?.minDriver).toBe("450.80.02");
    expect(cudaFamily("12.8")?.minDriver).toBe("525.60.13");
    expect(cudaFamily("13.0")?.minDriver).toBe("580.65.06");
  });

  it("compares driver versions numerically, not as strings", () => {
    expect(driverAtLeast("570.124.06", "570.26")).toBe(true);
    expect(driverAtLeast("570.26", "570.124.06")).toBe(false);
    expect(driverAtLeast("1000.1", "999.99.99")).toBe(true);
  });
});
