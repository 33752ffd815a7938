import { describe, expect, it } from "vitest";
import type { GpuReading, GpuSnapshot } from "../../../src/gpu/gpu-sample.js";
import { computeHints } from "../../../src/monitor/hints.js";
import { GpuHistory, HISTORY_TIERS } from "../../../src/monitor/history.js";

function reading(over: Partial<GpuReading> = {}): GpuReading {
  return {
    index: 0,
    name: "NVIDIA H100 80GB HBM3",
    uuid: "GPU-a",
    utilization: 90,
    memoryUtilization: 40,
    memoryUsedMiB: 1000,
    memoryTotalMiB: 81559,
    powerW: 500,
    powerLimitW: 700,
    temperatureC: 60,
    smClockMHz: 1980,
    memClockMHz: 2619,
    pstate: "P0",
    throttleReasons: [],
    migMode: "Disabled",
    migDevices: [],
    ...over,
  };
}

const T0 = 1_749_999_960_000; // a whole minute, so tier buckets line up

describe("GpuHistory", () => {
  it("keeps 1 s points for 10 minutes and averages into 10 s and 60 s tiers", () => {
    const history = new GpuHistory();
    for (let s = 0; s < 120; s += 1) history.add(T0 + s * 1000, [reading({ utilization: s < 60 ? 20 : 80 })]);
    const now = T0 + 119_000;
    const fine = history.series("GPU-a", "utilization", 60_000, now);
    expect(fine.stepMs).toBe(1000);
    expect(fine.values.every((v) => v === 80)).toBe(true);
    const coarse = history.series("GPU-a", "utilization", 60 * 60_000, now);
    expect(coarse.stepMs).toBe(10_000);
    expect(coarse.values.slice(0, 6).every((v) => v === 20)).toBe(true);
    const day = history.series("GPU-a", "utilization", 24 * 3600_000, now);
    expect(day.stepMs).toBe(60_000);
    expect(day.values).toHaveLength(2);
  });

  it("stores missing values as gaps and stays bounded after 24 h of 1 s samples", () => {
    const history = new GpuHistory();
    const gpus = Array.from({ length: 8 }, (_, i) => reading({ index: i, uuid: `GPU-${i}`, powerW: null }));
    const before = (() => {
      history.add(T0, gpus);
      return history.bytes();
    })();
    for (let s = 1; s < 24 * 3600; s += 7) history.add(T0 + s * 1000, gpus);
    expect(history.bytes()).toBe(before);
    const points = HISTORY_TIERS.reduce((n, t) => n + t.points, 0);
    expect(before).toBe(8 * points * (5 * 4 + 8));
    const power = history.series("GPU-3", "powerW", 60_000, T0 + 24 * 3600_000);
    expect(power.values.every((v) => v === null)).toBe(true);
  });
});

describe("computeHints", () => {
  const snapshot = (gpu: GpuReading, withProcess: boolean): GpuSnapshot => ({
    time: T0 + 70_000,
    gpus: [gpu],
    processes: withProcess
      ? [{ pid: 1, gpuUuid: gpu.uuid, usedMemoryMiB: 1000, name: "python", environment: null }]
      : [],
  });

  it("flags a GPU below 50% for 60 s while a process runs", () => {
    const history = new GpuHistory();
    for (let s = 0; s <= 70; s += 1) history.add(T0 + s * 1000, [reading({ utilization: 30 })]);
    const hints = computeHints(snapshot(reading({ utilization: 30 }), true), history);
    expect(hints.map((h) => h.message)).toContainEqual(
      expect.stringContaining("GPU 0 below 50% for 60 s while a process runs: input pipeline or batch size"),
    );
    expect(computeHints(snapshot(reading({ utilization: 30 }), false), history)).toEqual([]);
  });

  it("calls a GPU idle when it stays under 5% for 60 s with no process, not while a process runs", () => {
    const history = new GpuHistory();
    for (let s = 0; s <= 70; s += 1) history.add(T0 + s * 1000, [reading({ utilization: s % 3 })]);
    const idle = computeHints(snapshot(reading({ utilization: 0 }), false), history);
    expect(idle).toEqual([
      { gpuIndex: 0, severity: "info", message: "GPU 0 idle: under 5% for 60 s with no process on it" },
    ]);
    const busy = computeHints(snapshot(reading({ utilization: 0 }), true), history).map((h) => h.message);
    expect(busy.some((m) => m.includes("idle"))).toBe(false);
    expect(computeHints(snapshot(reading({ utilization: 0 }), false))).toEqual([]); // no history: no claim
  });

  it("does not flag a short dip, and flags full memory and slowdowns", () => {
    const history = new GpuHistory();
    for (let s = 0; s <= 70; s += 1) history.add(T0 + s * 1000, [reading({ utilization: s > 40 ? 30 : 90 })]);
    expect(computeHints(snapshot(reading(), true), history)).toEqual([]);
    const hot = reading({
      memoryUsedMiB: 80_000,
      throttleReasons: ["hw_thermal_slowdown"],
      temperatureC: 88,
    });
    const messages = computeHints(snapshot(hot, true)).map((h) => h.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain("memory 98% full");
    expect(messages[1]).toContain("hw_thermal_slowdown");
  });
});
