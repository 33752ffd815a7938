// From spec, host facts and flags to a ResolveRequest: precedence and GPU targets.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors/torchstack-error.js";
import type { HostFacts } from "../../src/host/host-facts.js";
import { applyFlags } from "../../src/resolve/request-from-flags.js";
import { requestFromHost, requestFromSpec } from "../../src/resolve/request-from-spec.js";

const host: HostFacts = {
  driver: "570.86.15",
  driverSource: "/sys/module/nvidia/version",
  gpus: [
    { index: 0, name: "NVIDIA H100 80GB HBM3", computeCapability: "9.0", uuid: "GPU-a" },
    { index: 1, name: "NVIDIA H100 80GB HBM3", computeCapability: "9.0", uuid: "GPU-b" },
    { index: 2, name: "Tesla K80", computeCapability: null, uuid: "GPU-c" },
  ],
};

describe("requestFromSpec", () => {
  it("copies the spec's choices and reads its gpu list through the catalog", () => {
    const request = requestFromSpec({
      name: "x",
      torch: "2.7",
      cuda: "12.8",
      python: "3.12",
      gpu: "rtx5090, sm_90, Mystery",
    });
    expect(request).toMatchObject({ torch: "2.7", cuda: "12.8", python: "3.12" });
    expect(request.gpus).toEqual([
      { label: "GeForce RTX 5090", computeCapability: "12.0" },
      { label: "sm_90", computeCapability: "9.0" },
      { label: "Mystery", computeCapability: null },
    ]);
    expect(request.driver).toBeUndefined();
  });

  it("targets the host's GPUs (deduplicated, capability from the catalog when nvidia-smi lacks it) and driver", () => {
    const request = requestFromSpec({ name: "x" }, host);
    expect(request.driver).toBe("570.86.15");
    expect(request.gpus).toEqual([
      { label: "NVIDIA H100 80GB HBM3", computeCapability: "9.0" },
      { label: "Tesla K80", computeCapability: "3.7" },
    ]);
  });

  it("lets the spec's gpu win over the host's GPUs, keeps the host driver, and passes distro settings", () => {
    const request = requestFromSpec(
      { name: "x", gpu: "a100", torchSource: "distro", base: "debian-12" },
      host,
    );
    expect(request.gpus).toEqual([{ label: "A100 SXM4 80GB", computeCapability: "8.0" }]);
    expect(request).toMatchObject({ driver: "570.86.15", torchSource: "distro", base: "debian-12" });
    expect(requestFromSpec({ name: "x", base: "image:foo/bar:1" }).base).toBeUndefined();
  });

  it("reads a host without a driver as driver null", () => {
    expect(requestFromHost({ driver: null, driverSource: "none", gpus: [] })).toEqual({
      driver: null,
      gpus: [],
    });
    expect(requestFromHost()).toEqual({});
  });
});

describe("applyFlags", () => {
  it("overrides the spec and the host", () => {
    const base = requestFromSpec({ name: "x", torch: "2.7", gpu: "h100" }, host);
    const request = applyFlags(base, { torch: "2.9", driver: "none", gpus: ["sm_61"], flavor: "devel" });
    expect(request).toMatchObject({ torch: "2.9", driver: null, flavor: "devel" });
    expect(request.gpus).toEqual([{ label: "sm_61", computeCapability: "6.1" }]);
  });

  it.each([
    [{ torch: "banana" }],
    [{ torch: "2" }],
    [{ cuda: "12" }],
    [{ cuda: "cuda12.8" }],
    [{ driver: "abc" }],
    [{ driver: "570.86.15.1" }],
    [{ gpus: ["sm_x"] }],
    [{ gpus: ["sm_9"] }],
    [{ gpus: ["$(rm -rf /)"] }],
    [{ python: "3" }],
    [{ flavor: "fat" }],
    [{ torchSource: "conda" }],
  ])("rejects %j as a usage error", (flags) => {
    expect(() => applyFlags({}, flags)).toThrow(UsageError);
  });
});
