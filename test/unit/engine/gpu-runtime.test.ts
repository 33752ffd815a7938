import { describe, expect, it } from "vitest";
import type { EngineInfo } from "../../../src/engine/engine-client.js";
import { type CdiReader, detectGpuRuntime } from "../../../src/engine/gpu-runtime.js";

const info = (over: Partial<EngineInfo> = {}): EngineInfo => ({
  serverVersion: "28.2.2",
  runtimes: ["runc"],
  cdiSpecDirs: [],
  isPodman: false,
  ...over,
});

function reader(files: Record<string, string>): CdiReader {
  return {
    list: (dir) => Object.keys(files).filter((f) => f.startsWith(`${dir}/`)),
    read: (file) => files[file] ?? "",
  };
}

describe("detectGpuRuntime", () => {
  it("uses the NVIDIA runtime when docker info lists it", () => {
    expect(detectGpuRuntime(info({ runtimes: ["runc", "nvidia"] }), reader({}))).toEqual({ kind: "nvidia" });
  });

  it("uses CDI when a spec declares nvidia.com/gpu (and always on Podman)", () => {
    const files = {
      "/etc/cdi/nvidia.yaml": "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices: []\n",
      "/etc/cdi/other.yaml": "kind: vendor.com/fpga",
    };
    expect(detectGpuRuntime(info(), reader(files))).toEqual({
      kind: "cdi",
      specFiles: ["/etc/cdi/nvidia.yaml"],
    });
    expect(detectGpuRuntime(info({ isPodman: true, runtimes: ["nvidia"] }), reader(files)).kind).toBe("cdi");
    expect(
      detectGpuRuntime(
        info({ cdiSpecDirs: ["/custom"] }),
        reader({ "/custom/gpu.json": '{"kind":"nvidia.com/gpu"}' }),
      ).kind,
    ).toBe("cdi");
  });

  it("reports none on a plain engine", () => {
    expect(detectGpuRuntime(info(), reader({}))).toEqual({ kind: "none" });
  });
});
