// Invariants of the whole torch catalog: adding next month's release is one data
// edit in torch-releases.ts, and this test is what checks that edit.
import { describe, expect, it } from "vitest";
import { CUDA_TOOLKITS, cudaFamily, cudaToolkit } from "../../../src/catalog/cuda-toolkits.js";
import { cudaOfWheel } from "../../../src/catalog/torch-release-types.js";
import { TORCH_RELEASES } from "../../../src/catalog/torch-releases.js";
import { compareVersions, minorOf } from "../../../src/catalog/version-order.js";

const ARCH = /^(sm|compute)_\d{2,3}[af]?$/;
const archValue = (arch: string) => Number(arch.replace(/^\D+_/, "").replace(/[af]$/, ""));

describe("TORCH_RELEASES", () => {
  it("is sorted ascending with unique X.Y.Z versions and YYYY-MM dates in order", () => {
    const versions = TORCH_RELEASES.map((r) => r.version);
    expect(new Set(versions).size).toBe(versions.length);
    for (const release of TORCH_RELEASES) {
      expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(release.released).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    }
    for (let i = 1; i < TORCH_RELEASES.length; i += 1) {
      const [prev, next] = [TORCH_RELEASES[i - 1], TORCH_RELEASES[i]];
      if (!prev || !next) continue;
      expect(compareVersions(prev.version, next.version), next.version).toBeLessThan(0);
      expect(prev.released <= next.released, next.version).toBe(true);
    }
  });

  it("covers every minor from 2.0 to the newest with no gap", () => {
    const minors = [...new Set(TORCH_RELEASES.map((r) => Number(minorOf(r.version).split(".")[1])))];
    expect(minors[0]).toBe(0);
    expect(minors).toEqual(minors.map((_, index) => index));
    expect(TORCH_RELEASES.some((r) => r.unconfirmed === undefined)).toBe(true);
  });

  it.each(TORCH_RELEASES.map((r) => [r.version, r] as const))(
    "%s: variants, default, Python, pairing",
    (_, release) => {
      const wheels = release.variants.map((v) => v.wheel);
      expect(new Set(wheels).size).toBe(wheels.length);
      expect(wheels[0]).toBe("cpu");
      const cuda = release.variants.slice(1);
      expect(cuda.length).toBeGreaterThan(0);
      for (let i = 1; i < cuda.length; i += 1) {
        expect(compareVersions(cuda[i - 1]?.cuda ?? "", cuda[i]?.cuda ?? "")).toBeLessThan(0);
      }
      for (const variant of cuda) {
        expect(variant.cuda).toBe(cudaOfWheel(variant.wheel));
        expect(cudaToolkit(variant.cuda ?? ""), `${variant.wheel} toolkit`).toBeDefined();
        expect(cudaFamily(variant.cuda ?? ""), `${variant.wheel} family`).toBeDefined();
        expect(variant.cudnn).toMatch(/^\d+\.\d+\.\d+(\.\d+)?$/);
        expect(variant.nccl).toMatch(/^2\.\d+\.\d+$/);
        expect(variant.archList.length).toBeGreaterThan(0);
        for (const arch of variant.archList) expect(arch).toMatch(ARCH);
        const sass = variant.archList.filter((a) => a.startsWith("sm_"));
        const ptx = variant.archList.filter((a) => a.startsWith("compute_"));
        expect(variant.archList).toEqual([...sass, ...ptx]);
        expect(sass.map(archValue)).toEqual([...sass.map(archValue)].sort((a, b) => a - b));
        for (const p of ptx) expect(sass.map(archValue)).toContain(archValue(p));
        // CUDA 12 dropped Kepler; CUDA 13 dropped Maxwell, Pascal and Volta.
        if (variant.cuda?.startsWith("12.")) expect(sass).not.toContain("sm_37");
        if (variant.cuda?.startsWith("13.")) expect(sass.filter((a) => archValue(a) < 75)).toEqual([]);
        expect(variant.source.ref).not.toBe("");
      }
      const defaultVariant = release.variants.find((v) => v.wheel === release.pypiDefault);
      expect(defaultVariant?.cuda, "PyPI default is a CUDA variant").not.toBeNull();
      expect(defaultVariant?.experimental, "PyPI default is not experimental").toBeFalsy();
      expect(release.python.length).toBeGreaterThan(0);
      for (const python of [...release.python, ...(release.pythonExperimental ?? [])])
        expect(python).toMatch(/^3\.\d+t?$/);
      expect(new Set([...release.python, ...(release.pythonExperimental ?? [])]).size).toBe(
        release.python.length + (release.pythonExperimental?.length ?? 0),
      );
      const torchMinor = Number(release.version.split(".")[1]);
      if (release.torchvision === null) {
        expect(release.unconfirmed, "only an unconfirmed release lacks torchvision").toBeDefined();
      } else {
        expect(release.torchvision).toMatch(/^0\.\d+\.\d+$/);
        // 0.N+15 for 2.N; a newer torch may pair the newest torchvision whose metadata admits it (2.15 → 0.29.2).
        const visionMinor = Number(release.torchvision.split(".")[1]);
        expect(visionMinor === torchMinor + 15 || release.pairingSource?.status === "primary").toBe(true);
      }
      for (const python of release.torchOnlyPython ?? [])
        expect([...release.python, ...(release.pythonExperimental ?? [])]).toContain(python);
      // torchaudio == torch, or (2.12 on) torchaudio 2.11.1, whose metadata requires torch>=2.11.
      if (release.torchaudio !== null && minorOf(release.torchaudio) !== minorOf(release.version))
        expect(release.pairingSource?.ref).toMatch(/torchaudio-2\.11\.1.*torch>=2\.11/);
      expect(release.source.ref).not.toBe("");
      expect(release.source.date).toMatch(/^\d{4}-\d{2}/);
    },
  );

  it("keeps the facts the issue's JSON contract quotes (2.7.1 cu128)", () => {
    const release = TORCH_RELEASES.find((r) => r.version === "2.7.1");
    const cu128 = release?.variants.find((v) => v.wheel === "cu128");
    expect(cu128).toMatchObject({ cuda: "12.8", cudnn: "9.7.1.26", nccl: "2.26.2" });
    expect(cu128?.archList[0]).toBe("sm_75");
    expect(release).toMatchObject({ torchvision: "0.22.1", torchaudio: "2.7.1", pypiDefault: "cu126" });
  });
});

describe("audited cells (regressions found by the second review)", () => {
  const release = (version: string) => {
    const found = TORCH_RELEASES.find((r) => r.version === version);
    if (!found) throw new Error(`no ${version}`);
    return found;
  };
  const variant = (version: string, wheel: string) =>
    release(version).variants.find((v) => v.wheel === wheel);

  it("cu132 is experimental in 2.12/2.13 only; 2.14 promotes it (compat-facts A, RFC #190355)", () => {
    for (const version of ["2.12.0", "2.12.1", "2.13.0"])
      expect(variant(version, "cu132")?.experimental).toBe(true);
    expect(variant("2.14.0", "cu132")?.experimental).toBeUndefined();
  });

  it("2.14's 3.15/3.15t are an index-only preview with torch wheels only (compat-facts F)", () => {
    expect(release("2.14.0").python).toEqual(["3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"]);
    expect(release("2.14.0").pythonExperimental).toEqual(["3.15", "3.15t"]);
    expect(release("2.14.0").torchOnlyPython).toEqual(["3.15", "3.15t"]);
    expect(release("2.13.0").pythonExperimental).toEqual(["3.15", "3.15t"]);
  });

  it("an inferred torchvision/torchaudio pairing does not mark the primary release facts unverified", () => {
    for (const version of ["2.4.0", "2.4.1", "2.5.1", "2.6.0", "2.7.1", "2.8.0", "2.9.1"]) {
      expect(release(version).source.status, version).toBe("primary");
      expect(release(version).pairingSource?.status, version).toBe("unverified");
    }
    expect(release("2.7.0").pairingSource).toBeUndefined();
    expect(release("2.15.0").source.status).toBe("primary");
    expect(release("2.15.0").unconfirmed).toMatch(/inherited from 2.14/);
  });

  it("the PyPI-PTX caveat applies to cu130 only where cu130 is the PyPI default (2.11+)", () => {
    expect(variant("2.10.0", "cu130")?.source.status).toBe("primary-copy");
    expect(variant("2.9.1", "cu130")?.source.note).not.toMatch(/PyPI cu130/);
    for (const version of ["2.11.0", "2.12.1"]) {
      expect(release(version).pypiDefault).toBe("cu130");
      expect(variant(version, "cu130")?.archSource?.status, version).toBe("unverified");
    }
  });

  it("arch lists per variant match compat-facts B (Linux x86_64)", () => {
    const archs = (version: string, wheel: string) => variant(version, wheel)?.archList.join(" ");
    expect(archs("2.0.1", "cu117")).toBe("sm_37 sm_50 sm_60 sm_70 sm_75 sm_80 sm_86");
    expect(archs("2.5.1", "cu118")).toBe("sm_37 sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");
    expect(archs("2.5.1", "cu124")).toBe("sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");
    expect(archs("2.7.1", "cu128")).toBe("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120 compute_120");
    expect(archs("2.8.0", "cu128")).toBe("sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");
    expect(archs("2.8.0", "cu129")).toBe("sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120 compute_120");
    expect(archs("2.10.0", "cu128")).toBe("sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");
    expect(archs("2.11.0", "cu128")).toBe("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");
    expect(archs("2.11.0", "cu126")).toBe("sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");
    expect(archs("2.13.0", "cu132")).toBe("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120 compute_120");
  });
});

describe("CUDA_TOOLKITS", () => {
  it("is sorted, and every toolkit's driver is at least its family minimum", () => {
    for (let i = 1; i < CUDA_TOOLKITS.length; i += 1) {
      expect(
        compareVersions(CUDA_TOOLKITS[i - 1]?.version ?? "", CUDA_TOOLKITS[i]?.version ?? ""),
      ).toBeLessThan(0);
    }
    for (const toolkit of CUDA_TOOLKITS) {
      const family = cudaFamily(toolkit.version);
      expect(family).toBeDefined();
      expect(compareVersions(toolkit.toolkitDriver, family?.minDriver ?? "")).toBeGreaterThanOrEqual(0);
      expect(compareVersions(toolkit.toolkitDriver, toolkit.gaDriver)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("compat-facts F corrections (audit of 2026-12-01)", () => {
  const release = (version: string) => {
    const found = TORCH_RELEASES.find((r) => r.version === version);
    if (!found) throw new Error(`no ${version}`);
    return found;
  };
  const variant = (version: string, wheel: string) =>
    release(version).variants.find((v) => v.wheel === wheel);
  const archs = (version: string, wheel: string) => variant(version, wheel)?.archList.join(" ");

  it("2.14.0 is released (2026-09-02)", () => {
    expect(release("2.14.0")).toMatchObject({
      released: "2026-09-02",
      pypiDefault: "cu130",
      torchvision: "0.29.0",
    });
    expect(release("2.14.0").unconfirmed).toBeUndefined();
    expect(release("2.14.0").source.status).toBe("primary");
  });

  it("2.14.1 is confirmed by its wheel metadata and is the newest confirmed release, so the default torch", () => {
    expect(release("2.14.1")).toMatchObject({
      released: "2026-09-30",
      torchvision: "0.29.1",
      pypiDefault: "cu130",
      requiresPython: ">=3.10",
    });
    expect(release("2.14.1").unconfirmed).toBeUndefined();
    expect(variant("2.14.1", "cu130")?.source).toMatchObject({ status: "primary" });
    expect(variant("2.14.1", "cu132")?.source.status).toBe("unverified");
    expect(release("2.14.1").variants.map((v) => v.wheel)).toEqual(["cpu", "cu126", "cu130", "cu132"]);
    expect(TORCH_RELEASES.filter((r) => r.unconfirmed === undefined).at(-1)?.version).toBe("2.14.1");
  });

  it("cu129 is an index-only variant of 2.9–2.13 (2.12.1, not 2.12.0), with its arch lists", () => {
    for (const version of ["2.9.0", "2.9.1", "2.10.0", "2.11.0", "2.12.1", "2.13.0"]) {
      expect(variant(version, "cu129")?.indexOnly, version).toBe(true);
    }
    expect(variant("2.12.0", "cu129")).toBeUndefined();
    expect(variant("2.14.0", "cu129")).toBeUndefined();
    expect(archs("2.9.1", "cu129")).toBe("sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120 compute_120");
    expect(archs("2.13.0", "cu129")).toBe("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");
    for (const r of TORCH_RELEASES) {
      const listed = r.variants.find((v) => v.wheel === r.pypiDefault);
      expect(listed?.indexOnly, `${r.version} default is a listed variant`).toBeUndefined();
    }
  });

  it("2.11's released cu128 and cu130 wheels pin cuDNN 9.19.0.56, not the pre-release 9.17.1.4", () => {
    expect(variant("2.11.0", "cu128")?.cudnn).toBe("9.19.0.56");
    expect(variant("2.11.0", "cu130")?.cudnn).toBe("9.19.0.56");
    expect(variant("2.11.0", "cu126")?.cudnn).toBe("9.10.2.21");
  });

  it("2.12.0 shipped 3.13t wheels; 2.12.1 dropped them", () => {
    expect(release("2.12.0").python).toContain("3.13t");
    expect(release("2.12.1").python).not.toContain("3.13t");
  });

  it("cu130 of 2.13 and 2.14 carries no compute_120; cu132 keeps it", () => {
    for (const version of ["2.13.0", "2.14.0", "2.14.1"]) {
      expect(archs(version, "cu130"), version).toBe("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");
      expect(archs(version, "cu132"), version).toMatch(/compute_120$/);
    }
    expect(variant("2.14.0", "cu132")?.experimental).toBeUndefined();
  });

  it("2.15.0: Python floor 3.11, the cu132 PyPI build and its pins, torchvision 0.29.2", () => {
    expect(release("2.15.0")).toMatchObject({
      python: ["3.11", "3.12", "3.13", "3.14", "3.15", "3.14t", "3.15t"],
      requiresPython: ">=3.11",
      pypiDefault: "cu132",
      torchvision: "0.29.2",
    });
    expect(variant("2.15.0", "cu132")).toMatchObject({
      cudaRuntime: "13.2.2",
      cudnn: "9.26.0.51",
      nccl: "2.30.7",
      cusparselt: "0.8.1",
      nvshmem: "3.7.2",
      triton: "~=3.9.0",
      platforms: ["x86_64", "aarch64"],
    });
    expect(variant("2.15.0", "cu130")?.source.note).toMatch(/proposed/);
    expect(release("2.15.0").unconfirmed).toBeDefined();
  });
});

describe("PyPI builds and aarch64 (wheel metadata read 2026-12-05)", () => {
  const release = (version: string) => {
    const found = TORCH_RELEASES.find((r) => r.version === version);
    if (!found) throw new Error(`no ${version}`);
    return found;
  };
  const variant = (version: string, wheel: string) =>
    release(version).variants.find((v) => v.wheel === wheel);

  it("every release's PyPI default carries the pins its wheel metadata states", () => {
    for (const r of TORCH_RELEASES) {
      const build = variant(r.version, r.pypiDefault);
      expect(build?.source.ref, r.version).toMatch(/^PyPI core metadata of torch-/);
      expect(build?.cudaRuntime?.startsWith(build.cuda ?? "-"), r.version).toBe(true);
      expect(r.requiresPython, r.version).toMatch(/^>=3\.\d+/);
    }
    expect(variant("2.9.1", "cu128")).toMatchObject({ nccl: "2.27.5", nvshmem: "3.3.20", triton: "3.5.1" });
    expect(variant("2.5.1", "cu124")).toMatchObject({ nccl: "2.21.5", cudaRuntime: "12.4.127" });
    expect(variant("2.7.1", "cu126")).toMatchObject({ nccl: "2.26.2", cusparselt: "0.6.3" });
  });

  it("PyPI's aarch64 wheel is a CPU build up to 2.10 and the CUDA build from 2.11", () => {
    expect(release("2.10.0").pypiAarch64).toBe("cpu");
    expect(release("2.11.0").pypiAarch64).toBeUndefined();
    expect(variant("2.11.0", "cu130")?.platforms).toContain("aarch64");
  });

  it("aarch64 builds carry the build script's aarch64 arch list (Thor's sm_110, no Turing)", () => {
    for (const version of ["2.9.0", "2.11.0", "2.13.0", "2.14.1"]) {
      expect(variant(version, "cu130")?.aarch64?.archList.join(" "), version).toBe(
        "sm_80 sm_90 sm_100 sm_110 sm_120 compute_120",
      );
    }
    expect(variant("2.5.1", "cu124")?.aarch64?.archList).toEqual(["sm_90"]);
    expect(variant("2.8.0", "cu128")?.aarch64).toBeUndefined();
  });
});
