// From spec, host facts and flags to a ResolveRequest: precedence and GPU targets.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors/torchstack-error.js";
import type { HostFacts } from "../../../src/host/host-facts.js";
import { applyFlags } from "../../../src/resolve/request-from-flags.js";
import { requestFromHost, requestFromSpec, resolvedForSpec } from "../../../src/resolve/request-from-spec.js";
import type { Spec } from "../../../src/spec/schema.js";

const forSpec = (spec: Spec, facts?: HostFacts) =>
  requestFromSpec(spec, resolvedForSpec(spec, facts, "x86_64"));

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
    const request = forSpec({
      name: "x",
      torch: "2.7",
      cuda: "12.8",
      python: "3.12",
      gpu: "rtx5090, sm_90, Mystery",
    });
    expect(request).toMatchObject({ torch: "2.7", cuda: "12.8", python: "3.12" });
    expect(request.gpus).toMatchObject([
      { label: "GeForce RTX 5090", computeCapability: "12.0" },
      { label: "sm_90", computeCapability: "9.0" },
      { label: "Mystery", computeCapability: null },
    ]);
    expect(request.driver).toBeUndefined();
  });

  it("targets the host's GPUs (deduplicated, capability from the catalog when nvidia-smi lacks it) and driver", () => {
    const request = forSpec({ name: "x" }, host);
    expect(request.driver).toBe("570.86.15");
    expect(request.gpus).toMatchObject([
      { label: "NVIDIA H100 80GB HBM3", computeCapability: "9.0" },
      { label: "Tesla K80", computeCapability: "3.7" },
    ]);
  });

  it("lets the spec's targets win over the host entirely (GPUs and driver), and passes distro settings", () => {
    const request = forSpec({ name: "x", gpu: "a100", torchSource: "distro", base: "debian-12" }, host);
    expect(request.gpus).toMatchObject([{ label: "A100 SXM4 80GB", computeCapability: "8.0" }]);
    expect(request.driver).toBeUndefined();
    expect(request).toMatchObject({ torchSource: "distro", base: "debian-12" });
    expect(forSpec({ name: "x", base: "image:foo/bar:1" }).base).toBeUndefined();
    const targeted = forSpec({ name: "x", targets: { gpus: ["H100", "RTX 5090"], driver: "570.86" } }, host);
    expect(targeted.driver).toBe("570.86");
    expect(targeted.gpus?.map((g) => (typeof g === "string" ? g : g.label))).toEqual([
      "H100 SXM",
      "GeForce RTX 5090",
    ]);
  });

  it("records what it resolved for: targets, the host, or nothing", () => {
    expect(resolvedForSpec({ name: "x", targets: { gpus: ["sm_90"] } }, host, "x86_64")).toEqual({
      source: "targets",
      platform: "x86_64",
      gpus: [{ label: "sm_90", computeCapability: "9.0" }],
      driver: null,
    });
    expect(resolvedForSpec({ name: "x" }, host, "x86_64")).toMatchObject({
      source: "host",
      driver: "570.86.15",
    });
    expect(resolvedForSpec({ name: "x" }, undefined, "aarch64")).toEqual({
      source: "none",
      platform: "aarch64",
      gpus: [],
      driver: null,
    });
    expect(
      resolvedForSpec({ name: "x" }, { driver: null, driverSource: "none", gpus: [] }, "x86_64").driver,
    ).toBe("none");
  });

  it("takes the platform from the spec, else a target GPU (GH200 → aarch64), else the host", () => {
    expect(resolvedForSpec({ name: "x", targets: { gpus: ["GH200"] } }, undefined, "x86_64").platform).toBe(
      "aarch64",
    );
    expect(resolvedForSpec({ name: "x", platform: "x86_64" }, undefined, "aarch64").platform).toBe("x86_64");
  });

  it("reads a host without a driver as driver null", () => {
    expect(requestFromHost({ driver: null, driverSource: "none", gpus: [] }, "x86_64")).toEqual({
      driver: null,
      gpus: [],
      platform: "x86_64",
      platformFrom: "host",
    });
    expect(requestFromHost(undefined, "x86_64")).toEqual({ platform: "x86_64", platformFrom: "host" });
  });
});

describe("applyFlags", () => {
  it("overrides the spec and the host", () => {
    const base = forSpec({ name: "x", torch: "2.7", gpu: "h100" }, host);
    const request = applyFlags(base, { torch: "2.9", driver: "none", gpus: ["sm_61"], flavor: "devel" });
    expect(request).toMatchObject({ torch: "2.9", driver: null, flavor: "devel" });
    expect(request.gpus).toMatchObject([{ label: "sm_61", computeCapability: "6.1" }]);
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
