import { describe, expect, it } from "vitest";
import type { GpuSnapshot } from "../../../src/gpu/gpu-sample.js";
import { NO_DRIVER_MESSAGE } from "../../../src/gpu/gpu-sample.js";
import { parseComputeApps } from "../../../src/gpu/parse-compute-apps.js";
import { parseGpuCsv } from "../../../src/gpu/parse-gpu-csv.js";
import { parseMigList } from "../../../src/gpu/parse-mig-list.js";
import { withMigDevices } from "../../../src/gpu/probe-gpus.js";
import { initialFieldSet } from "../../../src/gpu/query-fields.js";
import { computeHints } from "../../../src/monitor/hints.js";
import { GpuHistory } from "../../../src/monitor/history.js";
import { renderTop } from "../../../src/monitor/render-top.js";
import { visibleLength } from "../../../src/monitor/text-graphics.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";
import { fixtureText, scenarioEnv } from "./monitor-fixtures.js";

const T0 = 1_749_999_960_000;

/** Ticks of a scenario's query-gpu.csv (timestamp column dropped), with -L and compute apps. */
function scenarioTicks(scenario: string): GpuSnapshot[] {
  const [, ...rows] = fixtureText(`scenarios/${scenario}/query-gpu.csv`).split("\n").filter(Boolean);
  const list = parseMigList(fixtureText(`scenarios/${scenario}/list.txt`));
  const processes = parseComputeApps(fixtureText(`scenarios/${scenario}/compute-apps.csv`)).map((p, i) => ({
    ...p,
    environment: i === 0 ? "llm-train" : null,
  }));
  const byStamp = new Map<string, string[]>();
  for (const row of rows) {
    const [stamp = "", ...rest] = row.split(", ");
    byStamp.set(stamp, [...(byStamp.get(stamp) ?? []), rest.join(", ")]);
  }
  // the r470 scenario uses the legacy throttle field in the same position: same parse
  return [...byStamp.values()].map((lines, t) => ({
    time: T0 + t * 1000,
    gpus: withMigDevices(parseGpuCsv(lines.join("\n"), initialFieldSet()), list),
    processes,
  }));
}

describe("renderTop", () => {
  it("renders 8 H100s with bars, sparklines, processes and hints (no colour)", () => {
    const ticks = scenarioTicks("h100x8");
    const history = new GpuHistory();
    for (const tick of ticks) history.add(tick.time, tick.gpus);
    const last = ticks.at(-1) as GpuSnapshot;
    const text = renderTop({
      snapshot: last,
      hints: computeHints(last, history),
      width: 100,
      color: false,
      history,
    });
    expect(text).not.toContain("\u001b[");
    for (const line of text.split("\n")) expect(visibleLength(line)).toBeLessThanOrEqual(100);
    expect(text).toContain("GPU 7  NVIDIA H100 80GB HBM3");
    expect(text).toContain("throttle sw_power_cap");
    expect(text).toContain("llm-train");
    expect(text).toContain("python3 train.py, resumed");
    expect(text).toMatchSnapshot();
  });

  it("shows MIG devices and MIG processes as GPU/device", () => {
    const last = scenarioTicks("a100x4-mig-r470").at(-1) as GpuSnapshot;
    const text = renderTop({ snapshot: last, hints: [], width: 90, color: false });
    expect(text).toContain("└ MIG 1g.20gb device 3  MIG-930574a9-d43a-5d2b-95da-3e68384c8d6b");
    expect(text).toMatch(/7001\s+0\/0\s+9807 MiB/);
    expect(text).toContain("util [··········");
    expect(text).toMatchSnapshot();
  });

  it("fits narrow terminals and colours only when asked", () => {
    const last = scenarioTicks("h100x8").at(-1) as GpuSnapshot;
    const narrow = renderTop({ snapshot: last, hints: [], width: 50, color: true });
    expect(narrow).toContain("\u001b[");
    for (const line of narrow.split("\n")) expect(visibleLength(line)).toBeLessThanOrEqual(50);
  });

  it("says there is no driver instead of inventing GPUs", () => {
    const text = renderTop({
      snapshot: { time: T0, gpus: [], processes: [], message: NO_DRIVER_MESSAGE },
      hints: [],
      width: 80,
      color: false,
    });
    expect(text).toContain(NO_DRIVER_MESSAGE);
    expect(text).not.toContain("GPU 0");
  });
});

describe("torchstack top --once", () => {
  it("--json prints one sample in the contract's shape", async () => {
    const run = await runCliInMemory(["top", "--once", "--json"], { env: scenarioEnv("h100x8") });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      gpus: Record<string, unknown>[];
      processes: Record<string, unknown>[];
    };
    expect(Object.keys(doc)).toEqual(["ok", "gpus", "processes"]);
    expect(doc.gpus).toHaveLength(8);
    expect(Object.keys(doc.gpus[0] ?? {}).slice(0, 9)).toEqual([
      "index",
      "name",
      "uuid",
      "utilization",
      "memoryUsedMiB",
      "memoryTotalMiB",
      "powerW",
      "powerLimitW",
      "temperatureC",
    ]);
    expect(doc.gpus[0]).toMatchObject({
      index: 0,
      name: "NVIDIA H100 80GB HBM3",
      utilization: 88,
      memoryUsedMiB: 61234,
      memoryTotalMiB: 81559,
      powerW: 512.3,
      powerLimitW: 700,
      temperatureC: 61,
      smClockMHz: 1980,
      pstate: "P0",
      throttleReasons: [],
      migMode: "Disabled",
      migDevices: [],
    });
    expect(doc.processes[0]).toEqual({
      pid: 41234,
      gpuUuid: "GPU-3f1c0a00-5b2e-4c1a-9d7e-0a1b2c3d4e0f",
      usedMemoryMiB: 61200,
      name: "/opt/conda/bin/python",
      environment: null,
    });
  });

  it("--json without a driver prints the honest empty state and exits 0", async () => {
    const run = await runCliInMemory(["top", "--once", "--json"], { env: { PATH: "/nonexistent" } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, gpus: [], processes: [], message: NO_DRIVER_MESSAGE });
  });

  it("prints the text view once, and rejects a bad interval with exit 2", async () => {
    const run = await runCliInMemory(["top", "--once"], { env: scenarioEnv("a100x4-mig-r470") });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("GPU 3  NVIDIA A100-SXM4-80GB");
    expect(run.stdout).toContain("hw_thermal_slowdown");
    const bad = await runCliInMemory(["top", "--interval", "5"], { env: {} });
    expect(bad.code).toBe(2);
  });
});

describe("renderTop compact", () => {
  it("puts each GPU on one line for short terminals", () => {
    const ticks = scenarioTicks("a100x4-mig-r470");
    const history = new GpuHistory();
    for (const tick of ticks) history.add(tick.time, tick.gpus);
    const last = ticks.at(-1) as GpuSnapshot;
    const text = renderTop({ snapshot: last, hints: [], width: 140, color: false, history, compact: true });
    const gpuLines = text.split("\n").filter((l) => /^\[\d\]/.test(l));
    expect(gpuLines).toHaveLength(4);
    expect(gpuLines[0]).toContain("MIG×4");
    expect(gpuLines[3]).toContain("hw_thermal_slowdown");
    expect(text).toMatchSnapshot();
  });
});
