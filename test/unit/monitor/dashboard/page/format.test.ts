import { describe, expect, it } from "vitest";
import { chartRuns } from "../../../../../src/monitor/dashboard/page/charts.js";
import {
  fractionText,
  memoryText,
  percent,
  sig3,
  usedOfTotal,
  withUnit,
} from "../../../../../src/monitor/dashboard/page/format.js";
import { appendTick, newPageState } from "../../../../../src/monitor/dashboard/page/page-state.js";

describe("the page's number formatting", () => {
  it("rounds every figure to 3 significant figures without exponents", () => {
    expect(sig3(0.004423699788617383)).toBe("0.00442");
    expect(sig3(612.4412)).toBe("612");
    expect(sig3(61.925)).toBe("61.9");
    expect(sig3(2871.3)).toBe("2870");
    expect(sig3(81559)).toBe("81600");
    expect(sig3(1.5)).toBe("1.5");
    expect(sig3(0)).toBe("0");
    expect(sig3(-12.345)).toBe("-12.3");
    expect(sig3(1e-9)).toBe("0.000000001");
    expect(sig3(Number.NaN)).toBe("n/a");
  });

  it("puts units on values and says n/a for what nvidia-smi did not give", () => {
    expect(withUnit(0.004423699788617383, "TFLOPS")).toBe("0.00442 TFLOPS");
    expect(withUnit(null, "W")).toBe("n/a");
    expect(percent(87)).toBe("87%");
    expect(fractionText(0.61925)).toBe("61.9%");
    expect(usedOfTotal(512.3, 700, "W")).toBe("512 / 700 W");
    expect(memoryText(61234, 81559)).toBe("59.8 / 79.6 GiB");
    expect(memoryText(1, 81559)).toBe("1 MiB / 79.6 GiB");
    expect(memoryText(null, null)).toBe("n/a / n/a GiB");
  });
});

describe("the page's live series", () => {
  const gpu = (utilization: number) => ({
    index: 0,
    name: "g",
    uuid: "GPU-a",
    utilization,
    memoryUsedMiB: 1,
    memoryTotalMiB: 2,
    powerW: 3,
    powerLimitW: 4,
    temperatureC: 5,
    memoryUtilization: null,
    smClockMHz: null,
    memClockMHz: null,
    pstate: null,
    throttleReasons: [],
    migMode: null,
    migDevices: [],
  });

  it("appends one point per range step and keeps only the range", () => {
    const state = newPageState(86_400_000); // 24 h: 60 s steps
    for (let s = 0; s < 3_600; s += 1)
      appendTick(state, { time: s * 1_000, gpus: [gpu(s % 100)], processes: [] });
    expect(state.series["GPU-a"]?.times).toHaveLength(60);
    expect(state.series["GPU-a"]?.utilization?.[0]).toBe(59); // the newest reading of the first minute
    const short = newPageState(600_000);
    for (let s = 0; s < 1_200; s += 1) appendTick(short, { time: s * 1_000, gpus: [gpu(1)], processes: [] });
    expect(short.series["GPU-a"]?.times).toHaveLength(601);
    expect(short.series["GPU-a"]?.powerW).toHaveLength(601);
  });
});

describe("the page's charts", () => {
  it("draws a 24 h series with at most one point per 2 units of width, with gaps where values are missing", () => {
    const times = Array.from({ length: 1_440 }, (_, i) => i * 60_000);
    const values = times.map((_, i) => (i >= 700 && i < 720 ? null : 50));
    const runs = chartRuns(times, values, 0, times[1_439] ?? 0, 100, { width: 320, height: 96, pad: 4 });
    expect(runs).toHaveLength(2);
    const points = runs.flatMap((r) => r.split(" "));
    expect(points.length).toBeLessThanOrEqual(160);
    expect(new Set(points.map((p) => p.split(",")[1]))).toEqual(new Set(["48.0"])); // 50% of 88 from the bottom
  });
});
