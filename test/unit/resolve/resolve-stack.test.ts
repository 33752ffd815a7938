// Resolver decisions across the catalog: the named cases, every error
// code, the variant policy, and a sweep that checks no resolved stack can fail
// to run on the GPUs and driver it was resolved for.
import { describe, expect, it } from "vitest";
import { driverAtLeast } from "../../../src/catalog/cuda-toolkits.js";
import { GPUS } from "../../../src/catalog/gpus.js";
import { TORCH_RELEASES } from "../../../src/catalog/torch-releases.js";
import { ResolveError } from "../../../src/errors/torchstack-error.js";
import { archFit } from "../../../src/resolve/arch-fit.js";
import { gpuTarget } from "../../../src/resolve/gpu-target.js";
import type { ResolveRequest } from "../../../src/resolve/resolve-request.js";
import { resolveStack } from "../../../src/resolve/resolve-stack.js";
import { DISTRO_STACK } from "../../fixtures/specs/stacks.js";

const NEWEST_CONFIRMED = TORCH_RELEASES.filter((r) => !r.unconfirmed).at(-1)?.version ?? "";

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

describe("resolveStack: chosen stacks", () => {
  it.each<[string, Req, Record<string, unknown>]>([
    [
      "the contract stack: 2.7.1 pinned to CUDA 12.8",
      { torch: "2.7.1", cuda: "12.8" },
      {
        wheel: "cu128",
        cudnn: "9.7.1.26",
        nccl: "2.26.2",
        python: "3.12",
        torchvision: "0.22.1",
        torchaudio: "2.7.1",
        minDriver: "525.60.13",
      },
    ],
    [
      "2.7 picks the newest patch and the PyPI default cu126",
      { torch: "2.7" },
      { torch: "2.7.1", wheel: "cu126" },
    ],
    ["RTX 5090 on 2.7 needs cu128", { torch: "2.7", gpus: ["rtx5090"] }, { wheel: "cu128", cuda: "12.8" }],
    ["B200 on 2.7 needs cu128", { torch: "2.7", gpus: ["NVIDIA B200"] }, { wheel: "cu128" }],
    ["Pascal on 2.7 needs cu126", { torch: "2.7", gpus: ["GTX 1080 Ti"] }, { wheel: "cu126" }],
    [
      "Pascal on 2.8 needs cu126 (default cu128 has no sm_6x)",
      { torch: "2.8", gpus: ["sm_61"] },
      { wheel: "cu126" },
    ],
    // Regression: names without a datasheet row used to be "unknown" (not checked), so a
    // GTX 1080 got the default cu128, which has no sm_6x. Series mapping: gpu-series.ts.
    [
      "GTX 1080 (series 6.x) on 2.8 needs cu126",
      { torch: "2.8", gpus: ["NVIDIA GeForce GTX 1080"] },
      { wheel: "cu126" },
    ],
    ["RTX 3080 (series 8.6) on 2.13 keeps cu130", { torch: "2.13", gpus: ["rtx3080"] }, { wheel: "cu130" }],
    ["Pascal on 2.13 still has cu126", { torch: "2.13", gpus: ["Tesla P100-PCIE-16GB"] }, { wheel: "cu126" }],
    [
      "V100 on 2.10 runs the default cu128 (Volta re-added in 2.8)",
      { torch: "2.10", gpus: ["v100"] },
      { wheel: "cu128" },
    ],
    ["V100 on 2.11 has only cu126", { torch: "2.11", gpus: ["Tesla V100-SXM2-16GB"] }, { wheel: "cu126" }],
    [
      "2.11 on a 570 driver falls back from cu130 to cu128",
      { torch: "2.11", driver: "570.86.15" },
      { wheel: "cu128" },
    ],
    [
      "2.11 on a 580 driver keeps the default cu130",
      { torch: "2.11", driver: "580.65.06" },
      { wheel: "cu130", minDriver: "580" },
    ],
    [
      "2.11 on a driver given as the bare branch 580 keeps cu130 (NVIDIA: 13.x needs >= 580)",
      { torch: "2.11", driver: "580" },
      { wheel: "cu130", minDriver: "580" },
    ],
    [
      "2.8 on a 470 driver is impossible but 2.7 cu118 fits",
      { torch: "2.7", driver: "470.256.02" },
      { wheel: "cu118", minDriver: "450.80.02" },
    ],
    ["Ada 8.9 runs sm_86 SASS (2.0 cu117)", { torch: "2.0", gpus: ["RTX 4090"] }, { wheel: "cu117" }],
    ["K80 on 2.0 runs cu117's sm_37", { torch: "2.0.1", gpus: ["Tesla K80"] }, { wheel: "cu117" }],
    [
      "H100 + GTX 1080 Ti on 2.8 → cu126 carries both",
      { torch: "2.8", gpus: ["h100", "gtx 1080 ti"] },
      { wheel: "cu126" },
    ],
    [
      "--cuda cpu",
      { torch: "2.7.1", cuda: "cpu" },
      { wheel: "cpu", cuda: null, cudnn: null, nccl: null, minDriver: null, archList: [] },
    ],
    [
      "2.12 pairs torchaudio 2.11.1 (its metadata requires torch>=2.11)",
      { torch: "2.12" },
      { torch: "2.12.1", torchaudio: "2.11.1", torchvision: "0.27.1" },
    ],
    [
      "default torch is the newest confirmed release",
      {},
      { torch: NEWEST_CONFIRMED, wheel: "cu130", python: "3.12" },
    ],
    ["2.1 defaults to Python 3.11 (its newest)", { torch: "2.1" }, { python: "3.11", wheel: "cu121" }],
    ["2.2 defaults to 3.11 (3.12 experimental there)", { torch: "2.2" }, { python: "3.11" }],
    ["python pinned", { torch: "2.9", python: "3.14" }, { python: "3.14" }],
    [
      "unknown GPU is a warning, not an error",
      { torch: "2.7", gpus: ["Frobnicator 9000"] },
      { wheel: "cu126" },
    ],
  ])("%s", (_, req, expected) => {
    expect(resolve(req).stack).toMatchObject(expected);
  });

  it("returns the exact contract keys in order", () => {
    expect(Object.keys(resolve({ torch: "2.7.1", cuda: "12.8" }).stack)).toEqual([
      "torch",
      "wheel",
      "cuda",
      "cudnn",
      "nccl",
      "python",
      "torchvision",
      "torchaudio",
      "minDriver",
      "archList",
    ]);
  });
});

describe("resolveStack: errors name concrete versions", () => {
  it.each<[string, Req, string, RegExp[]]>([
    [
      "unknown torch above the catalog",
      { torch: "2.16" },
      "E_UNKNOWN_TORCH",
      [/--torch 2\.15\.0 .*UNVERIFIED/],
    ],
    [
      // Regression: the first fix used to be the unconfirmed 2.15.0, with no caveat.
      "unknown torch 3.0 suggests the newest confirmed release first",
      { torch: "3.0" },
      "E_UNKNOWN_TORCH",
      [new RegExp(`^use --torch ${NEWEST_CONFIRMED.replaceAll(".", "\\.")} --cuda 13\\.0 `)],
    ],
    ["unknown patch of a known minor", { torch: "2.7.9" }, "E_UNKNOWN_TORCH", [/--torch 2\.7\.1/]],
    ["torch 1.x points to the distro package", { torch: "1.13" }, "E_UNKNOWN_TORCH", [/torchSource: distro/]],
    [
      "the articles' 2.7 on CUDA 12.3",
      { torch: "2.7", cuda: "12.3" },
      "E_NO_WHEEL",
      [/--torch 2\.7\.1 --cuda 12\.6/],
    ],
    [
      "2.12 has no cu128 but 2.7–2.11 do",
      { torch: "2.12", cuda: "12.8" },
      "E_NO_WHEEL",
      [/--torch 2\.11\.0 --cuda 12\.8/],
    ],
    [
      "Python 3.8 on 2.7",
      { torch: "2.7", python: "3.8" },
      "E_PYTHON_UNSUPPORTED",
      [/--torch 2\.7\.1 --cuda 12\.6 --python 3\.12/, /--torch 2\.4\.1 --cuda 12\.1 \(/],
    ],
    [
      "Python 3.9 on 2.9",
      { torch: "2.9", python: "3.9" },
      "E_PYTHON_UNSUPPORTED",
      [/--torch 2\.8\.0 --cuda 12\.8 \(/],
    ],
    [
      "cu130 pinned on a 570 driver",
      { torch: "2.11", cuda: "13.0", driver: "570.86.15" },
      "E_DRIVER_TOO_OLD",
      [/≥ 580 /, /--cuda 12\.8/, /cuda-compat-13-0/, /--cuda cpu/],
    ],
    [
      "2.8 on a 470 driver",
      { torch: "2.8", driver: "470.256.02" },
      "E_DRIVER_TOO_OLD",
      [/525\.60\.13/, /--torch 2\.7\.1 --cuda 11\.8/],
    ],
    [
      "RTX 5090 on 2.6",
      { torch: "2.6", gpus: ["RTX 5090"] },
      "E_GPU_UNSUPPORTED",
      [/^use --torch 2\.7\.0 --cuda 12\.8 .*RTX 5090/],
    ],
    [
      "V100 on 2.11 pinned to cu128",
      { torch: "2.11", cuda: "12.8", gpus: ["v100"] },
      "E_GPU_UNSUPPORTED",
      [/--cuda 12\.6/],
    ],
    [
      "Pascal pinned to cu128 on 2.7",
      { torch: "2.7", cuda: "12.8", gpus: ["sm_61"] },
      "E_GPU_UNSUPPORTED",
      [/--cuda 12\.6/],
    ],
    ["K80 on 2.9", { torch: "2.9", gpus: ["k80"] }, "E_GPU_UNSUPPORTED", [/--torch 2\.7\.1 --cuda 11\.8/]],
    [
      "K80 and RTX 5090 together",
      { torch: "2.7", gpus: ["k80", "rtx 5090"] },
      "E_GPU_UNSUPPORTED",
      [/no official PyTorch wheel/],
    ],
    [
      "distro with a CUDA version",
      { torchSource: "distro", cuda: "12.8" },
      "E_DISTRO_UNSUPPORTED",
      [/--cuda cpu/],
    ],
    [
      "distro with another torch",
      { torchSource: "distro", torch: "2.7" },
      "E_DISTRO_UNSUPPORTED",
      [/1\.13\.1/],
    ],
    [
      "distro with another python",
      { torchSource: "distro", python: "3.12" },
      "E_PYTHON_UNSUPPORTED",
      [/--python 3\.11/],
    ],
  ])("%s → %s", (_, req, code, fixes) => {
    const error = failure(req);
    expect(error.code).toBe(code);
    const text = error.remedies.join("\n");
    for (const pattern of fixes) expect(text).toMatch(pattern);
    expect(error.message).not.toBe("");
  });
});

describe("resolveStack: warnings and explain", () => {
  it("warns that a driver-less host cannot run the CUDA image, and picks the PyPI default", () => {
    const result = resolve({ torch: "2.7", driver: null });
    expect(result.stack.wheel).toBe("cu126");
    expect(result.warnings.join("\n")).toMatch(/no NVIDIA driver.*525\.60\.13.*--cuda cpu/);
  });

  it("does not mention the driver when it is unknown", () => {
    expect(resolve({ torch: "2.7" }).warnings).toEqual([]);
  });

  it("warns for PTX JIT, and raises the driver needed to the toolkit's own", () => {
    const jit = resolve({ torch: "2.12", cuda: "13.2", gpus: ["sm_130"], driver: "595.58.03" });
    expect(jit.stack.wheel).toBe("cu132");
    expect(jit.stack.minDriver).toBe("595.58.03");
    expect(jit.warnings.join("\n")).toMatch(
      /^sm_130 has no SASS in cu132: the driver JIT-compiles compute_120/,
    );
    expect(resolve({ torch: "2.12", gpus: ["sm_121"] }).warnings).toEqual([]);
  });

  it("names another variant of the same torch once, and keeps unconfirmed releases apart (regression)", () => {
    const error = failure({ torch: "2.13", cuda: "13.0", gpus: ["GTX 1080"] });
    expect(error.code).toBe("E_GPU_UNSUPPORTED");
    expect(error.remedies[0]).toBe(
      "use --torch 2.13.0 --cuda 12.6 (torch 2.13.0 cu126 runs on GTX 1080 (sm_61))",
    );
    for (const r of TORCH_RELEASES.filter((r) => r.unconfirmed))
      expect(error.remedies.join("\n")).not.toContain(`--torch ${r.version}`);
    expect(error.remedies.at(-1)).toMatch(/--cuda cpu for a CPU-only image/);
  });

  it("rejects a variant a GPU can only JIT when the driver is older than the toolkit's (regression)", () => {
    // compat-facts C rule 2: minor-version compatibility does not cover PTX JIT of a newer
    // toolkit's PTX, so sm_130 on cu132 (CUDA 13.2.1) needs 595.58.03, not just >= 580.
    const pinned = failure({ torch: "2.12", cuda: "13.2", gpus: ["sm_130"], driver: "590.44.01" });
    expect(pinned.code).toBe("E_DRIVER_TOO_OLD");
    expect(pinned.message).toMatch(/cu132 needs ≥ 595\.58\.03 \(.*needs the toolkit's own driver for JIT\)/);
    expect(pinned.remedies.join("\n")).toMatch(
      /--torch 2\.12\.1 --cuda 13\.0 \(torch 2\.12\.1 cu130 runs on sm_130 with driver 590\.44\.01\)/,
    );
    // auto falls back to cu130 (CUDA 13.0.2, whose toolkit driver 580.95.05 the host meets)
    const auto = resolve({ torch: "2.12", gpus: ["sm_130"], driver: "590.44.01" });
    expect(auto.stack).toMatchObject({ wheel: "cu130", minDriver: "580.95.05" });
  });

  it("warns about unknown GPUs, idle GPUs on cpu, experimental Python and unconfirmed releases", () => {
    expect(resolve({ torch: "2.7", gpus: ["Frobnicator 9000"] }).warnings.join()).toMatch(
      /unknown GPU "Frobnicator 9000"/,
    );
    expect(resolve({ torch: "2.8", gpus: ["GTX 1070"] }).warnings.join()).toMatch(
      /GPU "GTX 1070" has no catalog row: checked as compute capability 6\.1 \(GeForce GTX 10 series; UNVERIFIED/,
    );
    expect(resolve({ torch: "2.7", cuda: "cpu", gpus: ["h100"] }).warnings.join()).toMatch(
      /cpu wheel does not use GPUs/,
    );
    expect(resolve({ torch: "2.5", python: "3.13" }).warnings.join()).toMatch(/experimental/);
    expect(resolve({ torch: "2.15" }).warnings.join()).toMatch(/not confirmed.*UNVERIFIED/);
    expect(resolve({ torch: "2.12", cuda: "13.2" }).warnings.join()).toMatch(
      /cu132 is published as experimental/,
    );
    expect(resolve({ torch: "2.7", cuda: "cpu", flavor: "devel" }).warnings.join()).toMatch(/nvcc/);
    expect(resolve({ torch: "2.12", gpus: ["h100"], driver: "595.58.03" }).stack.wheel).toBe("cu130");
  });

  it("explains the chosen variant and why each other one was rejected", () => {
    const { explain } = resolve({ torch: "2.8", gpus: ["GTX 1080 Ti"], driver: "570.86.15" });
    const bySubject = Object.fromEntries(
      explain.filter((e) => /^cu|^cpu/.test(e.subject)).map((e) => [e.subject, e]),
    );
    expect(bySubject.cu126?.verdict).toBe("chosen");
    expect(bySubject.cu126?.reason).toMatch(/PyPI default cu128 was rejected/);
    expect(bySubject.cu128).toMatchObject({ verdict: "rejected" });
    expect(bySubject.cu128?.reason).toMatch(/no code for GeForce GTX 1080 Ti \(sm_61\)/);
    expect(bySubject.cu129?.verdict).toBe("rejected");
    expect(bySubject.cpu?.verdict).toBe("rejected");
  });

  it("states provenance per fact group: primary release facts, an inferred pairing flagged alone", () => {
    const notes = resolve({ torch: "2.7.1", cuda: "11.8" })
      .explain.filter((e) => e.subject === "catalog")
      .map((e) => e.reason);
    expect(notes[0]).toMatch(/^torch 2\.7\.1 facts are primary \(pytorch\/test-infra/);
    expect(notes[1]).toMatch(/^torchvision 0\.22\.1 \/ torchaudio 2\.7\.1 facts are UNVERIFIED/);
    expect(notes[2]).toMatch(/^cu118 facts are UNVERIFIED/);
    const pypi = resolve({ torch: "2.7.1", cuda: "12.6" }).explain.map((e) => e.reason);
    expect(pypi).toContainEqual(
      expect.stringMatching(/^cu126 facts are primary \(PyPI core metadata of torch-2\.7\.1-cp313/),
    );
  });

  it("resolves the distro package (Debian 12 python3-torch, CPU only)", () => {
    expect(resolve({ torchSource: "distro" }).stack).toEqual(DISTRO_STACK);
  });
});

describe("arch fit", () => {
  it.each<[string[], string, string]>([
    [["sm_80", "sm_86"], "8.9", "sass"],
    [["sm_90a"], "9.0", "sass"],
    [["sm_90a"], "9.1", "none"],
    [["sm_100"], "12.0", "none"],
    [["sm_100"], "10.3", "sass"],
    [["sm_90", "compute_90"], "10.0", "ptx"],
    [["sm_90", "compute_90a"], "10.0", "none"],
    [["sm_75"], "7.0", "none"],
    // Regression: arch- and family-specific PTX is not forward compatible across majors.
    [["compute_90a"], "9.0", "ptx"],
    [["compute_100f"], "10.3", "ptx"],
    [["compute_100f"], "12.0", "none"],
    [["sm_100f"], "10.3", "sass"],
    [["sm_120", "compute_120"], "13.0", "ptx"],
  ])("%j on %s → %s", (archList, cc, kind) => {
    expect(archFit(archList, cc).kind).toBe(kind);
  });
});

describe("sweep: every release × every catalog GPU × drivers", () => {
  const drivers = [undefined, null, "470.256.02", "535.104.05", "570.124.06", "580.65.06", "610.1"];
  const cases = TORCH_RELEASES.flatMap((release) =>
    GPUS.flatMap((gpu) => drivers.map((driver) => ({ torch: release.version, gpus: [gpu.name], driver }))),
  );
  it(`never picks a stack that cannot run (${cases.length} requests)`, () => {
    const codes = new Set<string>();
    for (const req of cases) {
      try {
        const { stack } = resolve(req);
        const cc = GPUS.find((g) => g.name === req.gpus[0])?.computeCapability ?? "";
        expect(archFit(stack.archList, cc).kind, JSON.stringify(req)).not.toBe("none");
        if (typeof req.driver === "string" && stack.minDriver) {
          expect(driverAtLeast(req.driver, stack.minDriver), JSON.stringify(req)).toBe(true);
        }
      } catch (error) {
        if (!(error instanceof ResolveError)) throw error;
        codes.add(error.code);
        expect(error.remedies.length, JSON.stringify(req)).toBeGreaterThan(0);
      }
    }
    // E_NO_WHEEL: aarch64-only GPUs (GB200, GH200, Thor) where the catalog knows no aarch64 CUDA wheel.
    expect([...codes].sort()).toEqual(expect.arrayContaining(["E_DRIVER_TOO_OLD", "E_GPU_UNSUPPORTED"]));
    expect([...codes].every((c) => ["E_DRIVER_TOO_OLD", "E_GPU_UNSUPPORTED", "E_NO_WHEEL"].includes(c))).toBe(
      true,
    );
  });
});
