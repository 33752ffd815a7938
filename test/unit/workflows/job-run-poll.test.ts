import { describe, expect, it } from "vitest";
import { pollDelayMs } from "../../../src/workflows/job-run.js";

describe("pollDelayMs", () => {
  it("asks twice a second at first, then once a second, then every 5 s for a long job", () => {
    expect(pollDelayMs(0)).toBe(500);
    expect(pollDelayMs(29_999)).toBe(500);
    expect(pollDelayMs(30_000)).toBe(1000);
    expect(pollDelayMs(299_999)).toBe(1000);
    expect(pollDelayMs(300_000)).toBe(5000);
  });
});
