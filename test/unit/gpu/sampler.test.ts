import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GpuSnapshot } from "../../../src/gpu/gpu-sample.js";
import { NO_DRIVER_MESSAGE } from "../../../src/gpu/gpu-sample.js";
import { createNvidiaSmiSampler, readGpuSnapshotOnce } from "../../../src/gpu/sampler.js";
import { scenarioEnv } from "../monitor/monitor-fixtures.js";

function collectTicks(scenario: string, count: number, extra: NodeJS.ProcessEnv = {}) {
  const sampler = createNvidiaSmiSampler({
    env: scenarioEnv(scenario, extra),
    intervalMs: 50,
    appsIntervalMs: 100,
  });
  return new Promise<{ first: GpuSnapshot; ticks: GpuSnapshot[] }>((resolve, reject) => {
    const ticks: GpuSnapshot[] = [];
    sampler.subscribe((s) => {
      ticks.push(s);
      if (ticks.length >= count) {
        sampler.stop();
        resolve({ first: ticks[0] as GpuSnapshot, ticks });
      }
    });
    sampler.start().catch(reject);
  });
}

describe("nvidia-smi sampler against a fake nvidia-smi child process", () => {
  it("groups streamed rows into one tick per interval with all 8 GPUs", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "ts-smi-")), "calls.log");
    const { ticks } = await collectTicks("h100x8", 6, { FAKE_NVIDIA_SMI_LOG: log });
    for (const tick of ticks) expect(tick.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // the stream replays different utilisation values tick by tick
    expect(new Set(ticks.map((t) => t.gpus[0]?.utilization)).size).toBeGreaterThan(1);
    expect(ticks.at(-1)?.processes.length).toBe(4);
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as string[]);
    const streams = calls.filter((c) => c.includes("-lms"));
    expect(streams).toHaveLength(1);
    expect(streams[0]).toContain("--format=csv,noheader,nounits");
  });

  it("falls back to clocks_throttle_reasons.* and keeps MIG devices (A100 MIG, older driver)", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "ts-smi-")), "calls.log");
    const { ticks } = await collectTicks("a100x4-mig-r470", 3, { FAKE_NVIDIA_SMI_LOG: log });
    const last = ticks.at(-1);
    expect(last?.gpus).toHaveLength(4);
    expect(last?.gpus[0]).toMatchObject({ migMode: "Enabled", utilization: null });
    expect(last?.gpus[0]?.migDevices).toHaveLength(4);
    expect(last?.gpus[3]?.throttleReasons).toEqual(["hw_thermal_slowdown"]);
    const queries = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as string[])[0] ?? "");
    expect(queries.some((q) => q.includes("clocks_event_reasons.active"))).toBe(true);
    expect(queries.filter((q) => q.includes("clocks_throttle_reasons.active")).length).toBeGreaterThan(0);
  });

  it("drops mig.mode.current on a driver that does not know it, and maps [Not Supported] to null", async () => {
    const snapshot = await readGpuSnapshotOnce({ env: scenarioEnv("v100x2-r418") });
    expect(snapshot.gpus).toHaveLength(2);
    expect(snapshot.gpus[1]).toMatchObject({
      powerLimitW: null,
      migMode: null,
      throttleReasons: ["sw_thermal_slowdown"],
    });
    expect(snapshot.message).toBeUndefined();
  });

  it("reports no driver when nvidia-smi is absent or cannot reach the driver", async () => {
    const absent = await readGpuSnapshotOnce({ env: { PATH: "/nonexistent" } });
    expect(absent).toMatchObject({ gpus: [], processes: [], message: NO_DRIVER_MESSAGE });
    const broken = createNvidiaSmiSampler({
      env: scenarioEnv("h100x8", { FAKE_NVIDIA_SMI_NO_DRIVER: "1" }),
      intervalMs: 50,
    });
    const first = await broken.start();
    broken.stop();
    expect(first).toMatchObject({ gpus: [], message: NO_DRIVER_MESSAGE });
  });
});

describe("process → environment mapping", () => {
  it("maps a PID whose cgroup names an environment's container id", async () => {
    const { mapProcessesToEnvironments } = await import("../../../src/monitor/process-environments.js");
    const id = "4f2a".repeat(16);
    const cgroups: Record<number, string> = {
      10: `0::/system.slice/docker-${id}.scope\n`,
      11: "0::/user.slice/user-1000.slice/session-2.scope\n",
    };
    const mapped = await mapProcessesToEnvironments(
      [
        { pid: 10, gpuUuid: "GPU-a", usedMemoryMiB: 1, name: "python", environment: null },
        { pid: 11, gpuUuid: "GPU-a", usedMemoryMiB: 1, name: "python", environment: null },
        { pid: 12, gpuUuid: "GPU-a", usedMemoryMiB: 1, name: "gone", environment: null },
      ],
      [{ name: "llm-train", containerId: id }],
      async (pid) => cgroups[pid] ?? null,
    );
    expect(mapped.map((p) => p.environment)).toEqual(["llm-train", null, null]);
  });
});
