import { describe, expect, it } from "vitest";
import { capUlimits, hardLimits, isRlimitRefusal } from "../../../../src/environments/up/ulimit-fallback.js";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max stack size            8388608              unlimited            bytes
Max locked memory         8388608              8388608              bytes
`;

describe("ulimit fallback", () => {
  it("recognises runc's refusal and caps limits at the host's hard values", () => {
    expect(
      isRlimitRefusal(new Error("runc create failed: error setting rlimit type 8: operation not permitted")),
    ).toBe(true);
    expect(isRlimitRefusal(new Error("no such image"))).toBe(false);
    const hard = hardLimits(LIMITS);
    expect(hard).toEqual({ memlock: 8388608, stack: undefined });
    expect(
      capUlimits(
        [
          { name: "memlock", soft: -1, hard: -1 },
          { name: "stack", soft: 67108864, hard: 67108864 },
        ],
        hard,
      ),
    ).toEqual([
      { name: "memlock", soft: 8388608, hard: 8388608 },
      { name: "stack", soft: 67108864, hard: 67108864 },
    ]);
  });
});
