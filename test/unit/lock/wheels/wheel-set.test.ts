/**
 * The wheel set's pure parts: pip's report read into locked wheels, the stack's
 * CUDA/cuDNN/NCCL read back from them (a mismatch names both), which indexes are
 * used and how credentials are kept out of URLs, pip's command line, and where
 * torch comes from (PyPI's build or the PyTorch index, with its +label).
 */
import { describe, expect, it } from "vitest";
import type { LockFile } from "../../../../src/lock/lock-schema.js";
import { choosePackageIndexes, netrcOf } from "../../../../src/lock/wheels/package-indexes.js";
import { parsePipReport, toLocked } from "../../../../src/lock/wheels/pip-report.js";
import { pipResolveArgs, pipResolveEnv } from "../../../../src/lock/wheels/pip-resolve-args.js";
import { torchWheelSource } from "../../../../src/lock/wheels/torch-wheel-source.js";
import { manylinuxTags } from "../../../../src/lock/wheels/wheel-platform.js";
import { stackFromWheels, wheelFacts } from "../../../../src/lock/wheels/wheel-stack-facts.js";

const sha = (c: string) => c.repeat(64);
const item = (name: string, version: string, file: string, hash: string) => ({
  metadata: { name, version, requires_dist: [] },
  download_info: { url: `https://files.example/${file}`, archive_info: { hashes: { sha256: hash } } },
});
// The shape pip 23.2's `install --dry-run --report -` printed for torch 2.10.0 on CPython 3.13 (2026-12-05).
const report = JSON.stringify({
  version: "1",
  pip_version: "23.2.1",
  install: [
    item("torch", "2.10.0", "torch-2.10.0-cp313-cp313-manylinux_2_28_x86_64.whl", sha("a")),
    item(
      "nvidia-cudnn-cu12",
      "9.10.2.21",
      "nvidia_cudnn_cu12-9.10.2.21-py3-none-manylinux_2_27_x86_64.whl",
      sha("b"),
    ),
    item(
      "nvidia-nccl-cu12",
      "2.27.5",
      "nvidia_nccl_cu12-2.27.5-py3-none-manylinux_2_18_x86_64.whl",
      sha("c"),
    ),
    item(
      "nvidia-cuda-runtime-cu12",
      "12.8.90",
      "nvidia_cuda_runtime_cu12-12.8.90-py3-none-manylinux2014_x86_64.whl",
      sha("d"),
    ),
    item("Jinja2", "3.1.6", "jinja2-3.1.6-py3-none-any.whl", sha("e")),
  ],
});

const stack: LockFile["stack"] = {
  torch: "2.10.0",
  wheel: "cu128",
  cuda: "12.8",
  cudnn: "9.10.2.21",
  nccl: "2.27.5",
  python: "3.13",
  torchvision: "0.25.0",
  torchaudio: null,
  minDriver: "525.60.13",
  archList: [],
};
const lockWith = (s: Partial<LockFile["stack"]>) => ({ stack: { ...stack, ...s } }) as LockFile;

describe("the wheel set", () => {
  const wheels = toLocked(parsePipReport(report).wheels, "https://pypi.org/simple", "torch");

  it("reads pip's report: normalized names, versions, file names and sha256", () => {
    expect(wheels.map((w) => w.name)).toEqual([
      "torch",
      "nvidia-cudnn-cu12",
      "nvidia-nccl-cu12",
      "nvidia-cuda-runtime-cu12",
      "jinja2",
    ]);
    expect(wheels[0]).toMatchObject({
      version: "2.10.0",
      sha256: sha("a"),
      index: "https://pypi.org/simple",
    });
  });

  it("refuses a report entry that is not a hashed wheel", () => {
    const sdist = JSON.stringify({
      version: "1",
      install: [{ metadata: { name: "x", version: "1" }, download_info: { url: "https://h/x-1.tar.gz" } }],
    });
    expect(() => parsePipReport(sdist)).toThrow(/not a wheel with a sha256/);
  });

  it("reads CUDA, cuDNN and NCCL from the wheels, and fails naming both when the catalog differs", () => {
    expect(wheelFacts(wheels)).toMatchObject({ cuda: "12.8", cudnn: "9.10.2.21", nccl: "2.27.5" });
    expect(stackFromWheels(lockWith({ nccl: null }), wheels).nccl).toBe("2.27.5");
    expect(() => stackFromWheels(lockWith({ cudnn: "9.13.0.50" }), wheels)).toThrow(
      /nvidia-cudnn-cu12 9\.10\.2\.21, which is cuDNN 9\.10\.2\.21, but the catalog says cuDNN 9\.13\.0\.50/,
    );
  });
});

describe("package indexes", () => {
  it("flag, then PIP_INDEX_URL / UV_DEFAULT_INDEX / UV_INDEX_URL, then the spec, then PyPI", () => {
    const spec = { name: "x", indexes: { python: "https://mirror.example/simple" } };
    expect(choosePackageIndexes(spec, {}, {}).python).toMatchObject({ url: "https://mirror.example/simple" });
    expect(choosePackageIndexes({ name: "x" }, {}, {}).python.url).toBe("https://pypi.org/simple");
    expect(choosePackageIndexes(spec, {}, { UV_INDEX_URL: "https://uv.example/simple" }).python.from).toBe(
      "UV_INDEX_URL",
    );
    expect(
      choosePackageIndexes(
        spec,
        { pythonIndex: "https://flag.example/simple" },
        { PIP_INDEX_URL: "https://p/s" },
      ).python.from,
    ).toBe("--python-index");
  });

  it("keeps credentials out of the URL and puts them in a netrc line", () => {
    const indexes = choosePackageIndexes(
      { name: "x" },
      {},
      { PIP_INDEX_URL: "https://me:s3cret@repo.corp/simple/" },
    );
    expect(indexes.python.url).toBe("https://repo.corp/simple");
    expect(netrcOf(indexes)).toBe("machine repo.corp login me password s3cret\n");
  });
});

describe("pip's command line", () => {
  it("resolves for the image's CPython and manylinux tags, wheels only, indexes through the environment", () => {
    const args = pipResolveArgs({
      requirements: ["torch==2.10.0"],
      python: "3.13",
      platforms: manylinuxTags(41, "x86_64"),
      targetDir: "/tmp/t",
    });
    expect(args.join(" ")).toContain(
      "install --dry-run --quiet --report - --ignore-installed --only-binary=:all:",
    );
    expect(args).toContain("manylinux_2_41_x86_64");
    expect(args).toContain("manylinux2014_x86_64");
    expect(args.join(" ")).not.toMatch(/index/);
    const env = pipResolveEnv(
      { PIP_FIND_LINKS: "/opt/wheels", HOME: "/root" },
      "https://pypi.org/simple",
      null,
      null,
    );
    expect(env).toMatchObject({ PIP_INDEX_URL: "https://pypi.org/simple", HOME: "/root" });
    expect(env.PIP_FIND_LINKS).toBeUndefined();
  });
});

describe("where torch comes from", () => {
  it("PyPI's own build (no label) for the release's PyPI variant on x86_64, else the PyTorch index with +label", () => {
    expect(torchWheelSource({ torch: "2.10.0", wheel: "cu128" }, "x86_64")).toEqual({
      pypi: true,
      localLabel: null,
    });
    expect(torchWheelSource({ torch: "2.7.1", wheel: "cu126" }, "x86_64").pypi).toBe(true);
    expect(torchWheelSource({ torch: "2.7.1", wheel: "cu128" }, "x86_64")).toEqual({
      pypi: false,
      localLabel: "cu128",
    });
    expect(torchWheelSource({ torch: "2.10.0", wheel: "cpu" }, "x86_64").localLabel).toBe("cpu");
  });
});
