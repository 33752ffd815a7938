import { describe, expect, it } from "vitest";
import { parseComputeApps } from "../../../src/gpu/parse-compute-apps.js";
import { cellNumber, cellText, parseGpuCsv } from "../../../src/gpu/parse-gpu-csv.js";
import { parseMigList } from "../../../src/gpu/parse-mig-list.js";
import {
  fallbackFieldSet,
  initialFieldSet,
  invalidFieldIn,
  queryArgument,
} from "../../../src/gpu/query-fields.js";
import { decodeThrottleReasons } from "../../../src/gpu/throttle-reasons.js";
import { fieldSetFor, fixtureFields, fixtureText } from "../monitor/monitor-fixtures.js";

describe("parseMigList (recorded nvidia-smi -L)", () => {
  it("reads 7 MIG devices under one A100 (DataDog/datadog-agent#33120)", () => {
    const gpus = parseMigList(fixtureText("recorded/list-a100-mig-7x1g.txt"));
    expect(gpus).toHaveLength(1);
    expect(gpus[0]?.name).toBe("NVIDIA A100-SXM4-80GB");
    expect(gpus[0]?.uuid).toBe("GPU-7fdaf0a5-179b-f636-d15d-daf243e3ff16");
    expect(gpus[0]?.migDevices).toHaveLength(7);
    expect(gpus[0]?.migDevices[6]).toEqual({
      index: 6,
      profile: "1g.10gb",
      uuid: "MIG-1aae4990-b962-574e-8375-119d6d9b9687",
    });
  });

  it("keeps MIG devices under their own parent among several GPUs (influxdata/telegraf#5812)", () => {
    const gpus = parseMigList(fixtureText("recorded/list-a100x4-mig-on-gpu0.txt"));
    expect(gpus.map((g) => [g.index, g.migDevices.length])).toEqual([
      [0, 4],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(gpus[0]?.migDevices.every((m) => m.profile === "1g.20gb" && m.uuid.startsWith("MIG-"))).toBe(true);
  });

  it("reads 3g.40gb profiles on a PCIe card (NVIDIA/nvidia-container-toolkit#203)", () => {
    const gpus = parseMigList(fixtureText("recorded/list-a100-pcie-3g.txt"));
    expect(gpus[0]?.name).toBe("NVIDIA A100 80GB PCIe");
    expect(gpus[0]?.migDevices.map((m) => m.profile)).toEqual(["3g.40gb", "3g.40gb"]);
  });
});

describe("parseGpuCsv", () => {
  it("turns [N/A], [Not Supported] and bare N/A into null (enkore/i3pystatus#776)", () => {
    expect(cellText(" [N/A]")).toBeNull();
    expect(cellText("[Not Supported]")).toBeNull();
    expect(cellText("N/A")).toBeNull();
    expect(cellNumber("512.30")).toBe(512.3);
    expect(cellNumber("61234 MiB")).toBe(61234);
    const names = fixtureFields("recorded/query-na-brackets.csv");
    const fields = fieldSetFor(["index", "uuid", ...names], {
      index: "index",
      uuid: "uuid",
      "memory.total": "memoryTotalMiB",
      "memory.used": "memoryUsedMiB",
      "temperature.gpu": "temperatureC",
      "utilization.gpu": "utilization",
    });
    const rows = fixtureText("recorded/query-na-brackets.csv")
      .split("\n")
      .filter(Boolean)
      .map((line, i) => `${i}, GPU-test-${i}, ${line}`)
      .join("\n");
    const readings = parseGpuCsv(rows, fields);
    expect(readings).toHaveLength(2);
    expect(readings[0]).toMatchObject({
      memoryTotalMiB: 2004,
      memoryUsedMiB: 0,
      temperatureC: 44,
      utilization: 0,
    });
  });

  it("reads a driver-440 row with a bare N/A (Ricks-Lab/gpu-utils#83)", () => {
    const names = fixtureFields("recorded/query-rtx2080-driver440.csv");
    const fields = fieldSetFor(["index", ...names], {
      index: "index",
      name: "name",
      gpu_uuid: "uuid",
      "power.draw": "powerW",
      "power.limit": "powerLimitW",
      "memory.total": "memoryTotalMiB",
      "temperature.gpu": "temperatureC",
      "clocks.sm": "smClockMHz",
      "clocks.mem": "memClockMHz",
      "utilization.gpu": "utilization",
      pstate: "pstate",
    });
    const line = fixtureText("recorded/query-rtx2080-driver440.csv").trim();
    const [reading] = parseGpuCsv(`0, ${line}`, fields);
    expect(reading).toMatchObject({
      name: "GeForce RTX 2080",
      uuid: "GPU-22b2c6ac-2d49-4863-197c-9c469071178a",
      powerW: 176.98,
      powerLimitW: 200,
      memoryTotalMiB: 7979,
      temperatureC: 45,
      smClockMHz: 1965,
      memClockMHz: 7199,
      utilization: 86,
      pstate: "P2",
    });
  });

  it("parses a synthesized 8-GPU tick with the current field set", () => {
    const text = fixtureText("scenarios/h100x8/query-gpu.csv").split("\n").slice(1, 9).join("\n");
    // the scenario prefixes a timestamp column: drop it to match initialFieldSet()
    const rows = text
      .split("\n")
      .map((l) => l.split(", ").slice(1).join(", "))
      .join("\n");
    const readings = parseGpuCsv(rows, initialFieldSet());
    expect(readings).toHaveLength(8);
    expect(readings[0]).toMatchObject({
      index: 0,
      name: "NVIDIA H100 80GB HBM3",
      utilization: 88,
      memoryUsedMiB: 61234,
      memoryTotalMiB: 81559,
      powerW: 512.3,
      powerLimitW: 700,
      temperatureC: 61,
      smClockMHz: 1980,
      memClockMHz: 2619,
      pstate: "P0",
      throttleReasons: [],
      migMode: "Disabled",
    });
    expect(readings[2]?.throttleReasons).toEqual(["sw_power_cap"]);
    expect(readings[7]?.throttleReasons).toEqual(["gpu_idle"]);
  });

  it("skips lines that do not fit the field set instead of guessing", () => {
    expect(parseGpuCsv('Field "x" is not a valid field to query.\n\n0, a', initialFieldSet())).toEqual([]);
  });
});

describe("field fallbacks", () => {
  it("recognises nvidia-smi's invalid-field message (recorded text)", () => {
    expect(invalidFieldIn(fixtureText("recorded/invalid-field.txt"))).toBe("cuda_version");
  });

  it("moves to clocks_throttle_reasons.active, then drops optional fields", () => {
    const start = initialFieldSet();
    expect(queryArgument(start)).toContain("clocks_event_reasons.active");
    const legacy = fallbackFieldSet(start, "clocks_event_reasons.active");
    expect(legacy && queryArgument(legacy)).toContain("clocks_throttle_reasons.active");
    const dropped = legacy && fallbackFieldSet(legacy, "clocks_throttle_reasons.active");
    expect(dropped && queryArgument(dropped)).not.toContain("reasons");
    const noMig = fallbackFieldSet(start, "mig.mode.current");
    expect(noMig?.slots.some((s) => s.key === "migMode")).toBe(false);
    expect(fallbackFieldSet(start, "index")).toBeUndefined();
    expect(fallbackFieldSet(start, "not.asked")).toBeUndefined();
  });
});

describe("throttle reasons", () => {
  it("decodes the NVML bitmask", () => {
    expect(decodeThrottleReasons("0x0000000000000000")).toEqual([]);
    expect(decodeThrottleReasons("0x0000000000000044")).toEqual(["sw_power_cap", "hw_thermal_slowdown"]);
    expect(decodeThrottleReasons("[N/A]")).toEqual([]);
    expect(decodeThrottleReasons(null)).toEqual([]);
  });
});

describe("parseComputeApps", () => {
  it("reads pid, uuid, memory and a process name containing a comma", () => {
    const apps = parseComputeApps(fixtureText("scenarios/h100x8/compute-apps.csv"));
    expect(apps).toHaveLength(4);
    expect(apps[3]).toEqual({
      pid: 52001,
      gpuUuid: "GPU-3f1c3d33-5b2e-4c1a-9d7e-0a1b2c3d4e3f",
      usedMemoryMiB: 20470,
      name: "python3 train.py, resumed",
      environment: null,
    });
  });

  it("accepts MIG UUIDs and ignores messages", () => {
    const apps = parseComputeApps(
      `${fixtureText("scenarios/a100x4-mig-r470/compute-apps.csv")}\nNo running processes found\n`,
    );
    expect(apps.map((a) => a.gpuUuid)).toEqual([
      "MIG-ce861fb0-a248-58ce-a9a8-f9adbc22a66a",
      "GPU-d8594bd4-0fc3-8595-e355-7c98138f3b95",
    ]);
  });
});
