// Platforms: GH200, GB200/GB300, GB10 and Thor hosts are aarch64. Resolve picks only wheels
// that exist for the platform (a variant's `platforms`; without it, x86_64 only), with the
// aarch64 build's own arch list (pytorch .ci/manywheel/build_cuda.sh filters it for aarch64:
// cu130/cu132 → 8.0;9.0;10.0;11.0;12.0+PTX; builder release/2.5: cu124 → 9.0 only), a target GPU
// implies its platform whether it comes from the spec or a flag, and an aarch64 image renders no
// x86_64-only step.
import { describe, expect, it } from "vitest";
import { ResolveError } from "../../../src/errors/torchstack-error.js";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import { gpuTarget } from "../../../src/resolve/gpu-target.js";
import { applyFlags } from "../../../src/resolve/request-from-flags.js";
import { requestFromSpec, resolvedForSpec } from "../../../src/resolve/request-from-spec.js";
import { resolveStack } from "../../../src/resolve/resolve-stack.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";

function failure(run: () => unknown): ResolveError {
  try {
    run();
  } catch (error) {
    if (error instanceof ResolveError) return error;
    throw error;
  }
  throw new Error("expected a ResolveError");
}

describe("resolve knows the platform", () => {
  it("GB200 implies aarch64 and resolves to the aarch64 CUDA build with its own arch list", () => {
    const result = resolveStack({ gpus: [gpuTarget("GB200")], driver: "580.65.06" });
    expect(result.stack).toMatchObject({ torch: "2.14.1", wheel: "cu130" });
    expect(result.stack.archList).toEqual(["sm_80", "sm_90", "sm_100", "sm_110", "sm_120", "compute_120"]);
    const x86 = resolveStack({ gpus: [gpuTarget("B200")], driver: "580.65.06" });
    expect(x86.stack.archList).toContain("sm_75");
  });

  it.each(["GH200", "GB200", "GB300", "GB10", "DGX Spark", "Jetson Thor"])(
    "%s resolves to an aarch64 CUDA build",
    (gpu) => {
      const { stack } = resolveStack({ gpus: [gpu], driver: "580.65.06" });
      expect(stack.cuda).not.toBeNull();
      expect(stack.archList).toContain("sm_110");
    },
  );

  it("a GPU no aarch64 build covers is E_GPU_UNSUPPORTED with alternatives that resolve", () => {
    const request = { torch: "2.5", gpus: ["GB200"], driver: "580.65.06" };
    const error = failure(() => resolveStack(request));
    expect(error.code).toBe("E_GPU_UNSUPPORTED");
    expect(error.message).toMatch(/aarch64.*GB200 \(sm_100\).*cu124 has sm_90/);
    const alternatives = error.toJSON().alternatives as { torch: string; cuda: string }[];
    expect(alternatives.some((a) => a.cuda !== "cpu")).toBe(true);
    for (const a of alternatives) expect(resolveStack({ ...request, ...a }).stack.torch).toBe(a.torch);

    const volta = failure(() => resolveStack({ gpus: ["V100"], platform: "aarch64", driver: "580.65.06" }));
    expect(volta.code).toBe("E_GPU_UNSUPPORTED");
    expect(volta.toJSON().alternatives).toEqual([{ torch: "2.14.1", cuda: "cpu" }]);
  });

  it("a release with no aarch64 CUDA build says so (no empty CUDA list) and offers builds that exist", () => {
    const error = failure(() => resolveStack({ torch: "2.8", cuda: "12.8", platform: "aarch64" }));
    expect(error.code).toBe("E_NO_WHEEL");
    expect(error.message).toMatch(/no CUDA wheel for aarch64/);
    expect(error.message).not.toMatch(/built for CUDA\s*$|built for CUDA ;/);
    expect(error.remedies.join("\n")).toMatch(/torchstack catalog update/);
    const alternatives = error.toJSON().alternatives as { torch: string; cuda: string }[];
    expect(alternatives).toContainEqual({ torch: "2.8.0", cuda: "cpu" });
    expect(alternatives.some((a) => a.cuda !== "cpu")).toBe(true);
    expect(resolveStack({ torch: "2.8", cuda: "cpu", platform: "aarch64" }).stack.wheel).toBe("cpu");
  });

  it("E_NO_WHEEL reads as English and lists the CUDA versions built", () => {
    const error = failure(() => resolveStack({ torch: "2.7.1", cuda: "12.4" }));
    expect(error.message).toBe(
      "torch 2.7.1 has no official wheel for CUDA 12.4; its CUDA wheels are built for CUDA 11.8, 12.6 and 12.8",
    );
  });

  it("refuses x86_64 for a GPU that exists only on aarch64 hosts, naming who asked", () => {
    const error = failure(() => resolveStack({ gpus: [gpuTarget("GH200")], platform: "x86_64" }));
    expect(error.code).toBe("E_PLATFORM_MISMATCH");
    expect(error.message).toMatch(/GH200 runs only on aarch64 hosts .*the spec says platform: x86_64/);
    expect(error.remedies[0]).toMatch(/platform: aarch64/);
    const flagged = failure(() => resolveStack(applyFlags({}, { gpus: ["GH200"], platform: "x86_64" })));
    expect(flagged.message).toMatch(/--platform x86_64/);
    expect(flagged.remedies[0]).toMatch(/--platform aarch64/);
  });

  it("--gpu GH200 against a spec without targets decides the platform as the spec's targets would", () => {
    const spec = parseSpecText('name: plain\ntorch: "2.14"\n');
    const base = requestFromSpec(spec, resolvedForSpec(spec, undefined, "x86_64"));
    const result = resolveStack(applyFlags(base, { gpus: ["GH200"], driver: "580.65.06" }));
    expect(result.stack).toMatchObject({ torch: "2.14.1", wheel: "cu130" });
    expect(result.stack.archList).toContain("sm_110");
    const pinned = parseSpecText('name: x86\ntorch: "2.14"\nplatform: x86_64\n');
    const error = failure(() =>
      resolveStack(
        applyFlags(requestFromSpec(pinned, resolvedForSpec(pinned, undefined, "x86_64")), {
          gpus: ["GH200"],
        }),
      ),
    );
    expect(error.message).toMatch(/the spec says platform: x86_64/);
  });

  it("--platform arm64 is aarch64 (and amd64 is x86_64)", () => {
    expect(applyFlags({}, { platform: "arm64" }).platform).toBe("aarch64");
    expect(applyFlags({}, { platform: "amd64" }).platform).toBe("x86_64");
    expect(() => applyFlags({}, { platform: "riscv64" })).toThrow(/x86_64 or aarch64/);
  });

  it("Blackwell needs a driver branch that knows it (R570+), whatever the CUDA 12 floor says", () => {
    const { stack } = resolveStack({ torch: "2.8", gpus: ["B200"], driver: "575.51.03" });
    expect(stack).toMatchObject({ wheel: "cu128", minDriver: "570.26" });
    const error = failure(() => resolveStack({ torch: "2.8", gpus: ["B200"], driver: "565.57.01" }));
    expect(error.code).toBe("E_DRIVER_TOO_OLD");
    expect(error.message).toMatch(/570\.26/);
  });
});

describe("an aarch64 image renders no x86_64-only step", () => {
  const spec = parseSpecText(
    [
      "name: arm",
      'torch: "2.11"',
      'cuda: "13.0"',
      "flavor: devel",
      "platform: aarch64",
      "apps: { vscode: true }",
      "",
    ].join("\n"),
  );
  const resolvedFor = resolvedForSpec(spec, undefined, "x86_64");
  const { stack } = resolveStack(requestFromSpec(spec, resolvedFor));
  const lock = buildLock({ spec, specFile: "torchstack.yaml", stack, resolvedFor });

  it("records the platform in the lock", () => {
    expect(lock.platform).toBe("aarch64");
    expect(lock.resolvedFor).toMatchObject({ source: "none", platform: "aarch64" });
  });

  it("uses NVIDIA's sbsa repository for nvcc and code-server's arm64 tarball", () => {
    const dockerfile = renderDockerfile(lock, { syntax: false });
    expect(dockerfile).toMatch(/compute\/cuda\/repos\/[a-z0-9]+\/sbsa/);
    expect(dockerfile).toMatch(/code-server-[\d.]+-linux-arm64\.tar\.gz/);
    expect(dockerfile).not.toMatch(/x86_64|amd64/);
  });
});
