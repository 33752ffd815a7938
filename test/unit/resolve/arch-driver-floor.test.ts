/**
 * The minimum driver is the highest of the variant's floor and each target
 * architecture's: a Blackwell target lifts CUDA 12's 525.60.13 to the R570 branch.
 */
import { describe, expect, it } from "vitest";
import { TORCH_RELEASES } from "../../../src/catalog/torch-releases.js";
import { requiredDriver } from "../../../src/resolve/check-variant.js";

const cu128 = TORCH_RELEASES.find((r) => r.version === "2.7.1")?.variants.find((v) => v.wheel === "cu128");

describe("minimum driver by target architecture", () => {
  it("Blackwell (sm_120, sm_100) needs R570 even where CUDA 12's floor is 525.60.13", () => {
    if (!cu128) throw new Error("2.7.1 cu128 missing from the catalog");
    expect(requiredDriver(cu128, [{ label: "H100", computeCapability: "9.0" }])).toBe("525.60.13");
    expect(requiredDriver(cu128, [{ label: "RTX 5090", computeCapability: "12.0" }])).toBe("570.26");
    expect(
      requiredDriver(cu128, [
        { label: "H100", computeCapability: "9.0" },
        { label: "B200", computeCapability: "10.0" },
      ]),
    ).toBe("570.26");
  });
});
