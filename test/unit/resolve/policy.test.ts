// The resolution policy when torch is not pinned (newest release that runs on every
// target and the driver, with --explain saying why each newer one was passed over),
// and the alternatives every failure carries: proven requests, fixes written
// from them, forward compatibility only where NVIDIA supports it.
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../../src/catalog/catalog.js";
import { compareVersions } from "../../../src/catalog/version-order.js";
import { ResolveError } from "../../../src/errors/torchstack-error.js";
import { gpuTarget } from "../../../src/resolve/gpu-target.js";
import type { ResolveRequest } from "../../../src/resolve/resolve-request.js";
import { resolveStack } from "../../../src/resolve/resolve-stack.js";

type Req = Omit<ResolveRequest, "gpus"> & { gpus?: string[] };
const request = (r: Req): ResolveRequest => ({ ...r, gpus: r.gpus?.map(gpuTarget) });
const resolve = (r: Req) => resolveStack(request(r));

function failure(r: Req): ResolveError {
  try {
    resolve(r);
  } catch (error) {
    if (error instanceof ResolveError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(r)} to fail`);
}

/** Brute force over the catalog: the newest confirmed release with a CUDA variant that runs. */
function newestThatRuns(gpus: string[], driver: string): string | undefined {
  const releases = [...builtinCatalog.torchReleases].reverse().filter((r) => !r.unconfirmed);
  return releases.find((r) =>
    r.variants.some((v) => {
      if (v.cuda === null) return false;
      try {
        resolve({ torch: r.version, cuda: v.cuda, gpus, driver });
        return true;
      } catch {
        return false;
      }
    }),
  )?.version;
}

describe("unpinned torch: the newest release that runs", () => {
  it("RTX 5090 on driver 570.86.15 gets the newest torch with a cu12x wheel for sm_120", () => {
    const result = resolve({ gpus: ["RTX 5090"], driver: "570.86.15" });
    expect(result.stack.torch).toBe(newestThatRuns(["RTX 5090"], "570.86.15"));
    expect(result.stack.cuda).toMatch(/^12\./);
    expect(result.stack.archList).toContain("sm_120");
    const passed = result.explain.filter((e) => e.verdict === "rejected" && e.subject.startsWith("torch "));
    const newer = builtinCatalog.torchReleases.filter(
      (r) => compareVersions(r.version, result.stack.torch) > 0,
    );
    expect(passed.map((e) => e.subject).sort()).toEqual(newer.map((r) => `torch ${r.version}`).sort());
    for (const entry of passed) expect(entry.reason).toMatch(/≥ 580|unconfirmed|no code for/);
    expect(result.explain[0]?.reason).toMatch(/newest confirmed release with a wheel that runs/);
  });

  it("T4 on driver 470.82.01 gets the newest torch with a cu11x wheel", () => {
    const result = resolve({ gpus: ["T4"], driver: "470.82.01" });
    expect(result.stack).toMatchObject({ torch: "2.7.1", wheel: "cu118", minDriver: "450.80.02" });
  });

  it("keeps the newest confirmed release when it runs, and names unconfirmed ones passed over", () => {
    const result = resolve({ gpus: ["H100"], driver: "580.65.06" });
    const confirmed = builtinCatalog.torchReleases.filter((r) => !r.unconfirmed);
    expect(result.stack.torch).toBe(confirmed.at(-1)?.version);
    const unconfirmed = builtinCatalog.torchReleases.filter(
      (r) => r.unconfirmed && compareVersions(r.version, result.stack.torch) > 0,
    );
    const passed = result.explain.filter((e) => /unconfirmed/.test(e.reason)).map((e) => e.subject);
    expect(passed).toEqual(unconfirmed.reverse().map((r) => `torch ${r.version}`));
  });

  it("honours the Python asked for", () => {
    expect(resolve({ python: "3.9", gpus: ["A100"], driver: "570.124.06" }).stack.torch).toBe("2.8.0");
  });

  it("a pinned torch that cannot run still fails with its code", () => {
    expect(failure({ torch: "2.6", gpus: ["RTX 5090"] }).code).toBe("E_GPU_UNSUPPORTED");
    const error = failure({ torch: "2.13", cuda: "13.0", gpus: ["RTX 5090"], driver: "570.86.15" });
    expect(error.code).toBe("E_DRIVER_TOO_OLD");
    const first = error.toJSON().alternatives?.[0] as { torch: string; cuda: string };
    expect(first.cuda).toMatch(/^12\./);
    expect(() => resolve({ ...first, gpus: ["RTX 5090"], driver: "570.86.15" })).not.toThrow();
  });
});

describe("error.alternatives", () => {
  it("is part of the error JSON, and the remedies are written from it", () => {
    const error = failure({ torch: "2.12", cuda: "12.8", gpus: ["RTX 5090"], driver: "570.86.15" });
    const json = error.toJSON();
    expect(json.alternatives).toContainEqual({ torch: "2.11.0", cuda: "12.8" });
    for (const alternative of json.alternatives as { torch: string; cuda: string }[]) {
      expect(json.remedies.join("\n")).toContain(`--torch ${alternative.torch} --cuda ${alternative.cuda}`);
    }
  });

  it("adds python only when it changes", () => {
    const error = failure({ torch: "2.7", python: "3.8" });
    expect(error.toJSON().alternatives).toContainEqual({ torch: "2.7.1", cuda: "12.6", python: "3.12" });
    expect(error.toJSON().alternatives).toContainEqual({ torch: "2.4.1", cuda: "12.1" });
  });

  it("offers cuda-compat for data-center GPUs only, never for GeForce", () => {
    const geforce = failure({ torch: "2.13", cuda: "13.0", gpus: ["RTX 5090"], driver: "570.124.06" });
    expect(geforce.remedies.join("\n")).not.toMatch(/cuda-compat/);
    const h100 = failure({ torch: "2.13", cuda: "13.0", gpus: ["H100"], driver: "570.124.06" });
    expect(h100.remedies.join("\n")).toMatch(/install cuda-compat-13-0 .*LD_LIBRARY_PATH: CUDA forward/);
    const bare = failure({ torch: "2.13", cuda: "13.0", gpus: ["sm_90"], driver: "570.124.06" });
    expect(bare.remedies.join("\n")).toMatch(/cuda-compat-13-0 .*\(NVIDIA data-center GPUs only\)/);
  });

  it("never offers a stack the driver cannot run (A100 on driver 470; H100 needs R520+)", () => {
    const error = failure({ torch: "2.13", gpus: ["A100"], driver: "470.82.01" });
    expect(error.toJSON().alternatives).toContainEqual({ torch: "2.7.1", cuda: "11.8" });
    for (const a of error.toJSON().alternatives as { torch: string; cuda: string }[])
      expect(() => resolve({ ...a, gpus: ["A100"], driver: "470.82.01" })).not.toThrow();
    // R470 predates Hopper (CUDA 11.8's 520.61.05 is the first driver with sm_90): CPU only.
    const hopper = failure({ torch: "2.13", gpus: ["H100"], driver: "470.82.01" });
    for (const a of hopper.toJSON().alternatives as { torch: string; cuda: string }[])
      expect(a.cuda).toBe("cpu");
  });
});

describe("torch-only Pythons", () => {
  it("pairs no torchvision or torchaudio on a Python that has torch wheels only", () => {
    const catalog = {
      ...builtinCatalog,
      torchReleases: builtinCatalog.torchReleases.map((r) =>
        r.version === "2.13.0" ? { ...r, pythonExperimental: ["3.15"], torchOnlyPython: ["3.15"] } : r,
      ),
    };
    const result = resolveStack(request({ torch: "2.13.0", python: "3.15" }), catalog);
    expect(result.stack).toMatchObject({ torch: "2.13.0", torchvision: null, torchaudio: null });
    expect(result.warnings.join("\n")).toMatch(/no torchvision or torchaudio/);
    expect(
      resolveStack(request({ torch: "2.13.0", python: "3.12" }), catalog).stack.torchvision,
    ).not.toBeNull();
  });
});
