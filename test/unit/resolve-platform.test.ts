// Platforms: GH200, GB200 and Thor hosts are aarch64. Resolve picks only wheels that exist
// for the platform (a variant's `platforms`, from the wheel index; without it, x86_64 only),
// a target GPU implies its platform, and an aarch64 image renders no x86_64-only step.
import { describe, expect, it } from "vitest";
import { builtinCatalog, type Catalog } from "../../src/catalog/catalog.js";
import { ResolveError } from "../../src/errors/torchstack-error.js";
import { renderDockerfile } from "../../src/image/render-dockerfile.js";
import { buildLock } from "../../src/lock/build-lock.js";
import { gpuTarget } from "../../src/resolve/gpu-target.js";
import { requestFromSpec, resolvedForSpec } from "../../src/resolve/request-from-spec.js";
import { resolveStack } from "../../src/resolve/resolve-stack.js";
import { parseSpecText } from "../../src/spec/load-spec.js";

/** The built-in catalog with torch 2.11.0's cu130 also listed for aarch64 (as `catalog update` records it). */
const withArm: Catalog = {
  ...builtinCatalog,
  torchReleases: builtinCatalog.torchReleases.map((r) =>
    r.version !== "2.11.0"
      ? r
      : {
          ...r,
          variants: r.variants.map((v) =>
            v.wheel === "cu130" ? { ...v, platforms: ["x86_64", "aarch64"] } : v,
          ),
        },
  ),
};

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
  it("GB200 implies aarch64, and only aarch64 wheels are candidates", () => {
    const result = resolveStack({ gpus: [gpuTarget("GB200")], driver: "580.65.06" }, withArm);
    expect(result.stack).toMatchObject({ torch: "2.11.0", wheel: "cu130" });
    const x86 = resolveStack({ gpus: [gpuTarget("B200")], driver: "580.65.06" }, withArm);
    expect(x86.stack.torch).not.toBe("2.11.0");
  });

  it("says which wheels are missing for aarch64 and how to learn them, offering a CPU build that exists", () => {
    const error = failure(() => resolveStack({ torch: "2.13", platform: "aarch64" }));
    expect(error.code).toBe("E_NO_WHEEL");
    expect(error.message).toMatch(/no CUDA wheel for aarch64/);
    expect(error.remedies.join("\n")).toMatch(/torchstack catalog update/);
    expect(error.toJSON().alternatives).toContainEqual({ torch: "2.13.0", cuda: "cpu" });
    expect(resolveStack({ torch: "2.13", cuda: "cpu", platform: "aarch64" }).stack.wheel).toBe("cpu");
  });

  it("refuses x86_64 for a GPU that exists only on aarch64 hosts", () => {
    const error = failure(() => resolveStack({ gpus: [gpuTarget("GH200")], platform: "x86_64" }));
    expect(error.code).toBe("E_PLATFORM_MISMATCH");
    expect(error.remedies[0]).toMatch(/platform: aarch64/);
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
  const { stack } = resolveStack(requestFromSpec(spec, resolvedFor), withArm);
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
