import { describe, expect, it } from "vitest";
import type { GpuRuntime } from "../../../../src/engine/gpu-runtime.js";
import {
  describeGpus,
  gpuRequestFor,
  parseGpuSelection,
} from "../../../../src/environments/up/gpu-request.js";

const nvidia: GpuRuntime = { kind: "nvidia" };
const cdi: GpuRuntime = { kind: "cdi", specFiles: ["/etc/cdi/nvidia.yaml"] };

describe("GPU requests", () => {
  it("translates all, a count, indices and UUIDs to DeviceRequests", () => {
    expect(gpuRequestFor(parseGpuSelection("all"), nvidia)).toEqual({ kind: "nvidia", count: -1 });
    expect(gpuRequestFor(parseGpuSelection("2"), nvidia)).toEqual({ kind: "nvidia", count: 2 });
    expect(gpuRequestFor(parseGpuSelection(2), nvidia)).toEqual({ kind: "nvidia", count: 2 });
    expect(gpuRequestFor(parseGpuSelection("0,1"), nvidia)).toEqual({
      kind: "nvidia",
      deviceIds: ["0", "1"],
    });
    const uuid = "GPU-5a3e0e2c-1b7f-4c6d-9d1e-2f3a4b5c6d7e";
    expect(gpuRequestFor(parseGpuSelection(uuid), nvidia)).toEqual({ kind: "nvidia", deviceIds: [uuid] });
    const mig = "MIG-8d4c1a2b-3e5f-4a6b-8c7d-9e0f1a2b3c4d";
    expect(gpuRequestFor(parseGpuSelection(`device=${mig}`), nvidia)).toEqual({
      kind: "nvidia",
      deviceIds: [mig],
    });
  });

  it("uses CDI names where the engine uses CDI", () => {
    expect(gpuRequestFor(parseGpuSelection("all"), cdi)).toEqual({
      kind: "cdi",
      devices: ["nvidia.com/gpu=all"],
    });
    expect(gpuRequestFor(parseGpuSelection("2"), cdi)).toEqual({
      kind: "cdi",
      devices: ["nvidia.com/gpu=0", "nvidia.com/gpu=1"],
    });
    expect(gpuRequestFor(parseGpuSelection("1,3"), cdi).kind).toBe("cdi");
  });

  it("treats none and 0 as no GPUs, and refuses garbage", () => {
    expect(parseGpuSelection("none")).toEqual({ kind: "none" });
    expect(parseGpuSelection(0)).toEqual({ kind: "none" });
    expect(gpuRequestFor(parseGpuSelection("none"), nvidia)).toEqual({ kind: "none" });
    expect(() => parseGpuSelection("0,banana")).toThrow(/banana/);
    expect(describeGpus(parseGpuSelection(["0", 1]))).toBe("0,1");
  });
});
