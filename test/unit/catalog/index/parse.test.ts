// Pure parsing of the wheel index's formats: simple-index pages, wheel file names, core metadata.
import { describe, expect, it } from "vitest";
import { parseMetadata } from "../../../../src/catalog/index/parse-metadata.js";
import { parseSimpleIndex } from "../../../../src/catalog/index/parse-simple-index.js";
import { parseWheelFilename } from "../../../../src/catalog/index/parse-wheel-filename.js";

const PAGE = "https://download.pytorch.org/whl/torch/";
const HASH = "a".repeat(64);
const META = "b".repeat(64);

describe("parseSimpleIndex", () => {
  it("reads links with hashes, PEP 658 metadata hashes and Requires-Python, resolving relative hrefs", () => {
    const html = `<!DOCTYPE html>
<html>
  <body>
    <h1>Links for torch</h1>
    <a href="/whl/cu128/torch-2.7.1%2Bcu128-cp312-cp312-manylinux_2_28_x86_64.whl#sha256=${HASH}" data-requires-python="&gt;=3.9.0" data-dist-info-metadata="sha256=${META}" data-core-metadata="sha256=${META}">torch-2.7.1+cu128-cp312-cp312-manylinux_2_28_x86_64.whl</a><br/>
    <a href="../cpu/torch-2.7.1%2Bcpu-cp39-cp39-manylinux_2_28_aarch64.whl">torch-2.7.1+cpu-cp39-cp39-manylinux_2_28_aarch64.whl</a><br/>
  </body>
</html>`;
    expect(parseSimpleIndex(html, PAGE)).toEqual([
      {
        filename: "torch-2.7.1+cu128-cp312-cp312-manylinux_2_28_x86_64.whl",
        url: "https://download.pytorch.org/whl/cu128/torch-2.7.1%2Bcu128-cp312-cp312-manylinux_2_28_x86_64.whl",
        sha256: HASH,
        metadataSha256: META,
        requiresPython: ">=3.9.0",
      },
      {
        filename: "torch-2.7.1+cpu-cp39-cp39-manylinux_2_28_aarch64.whl",
        url: "https://download.pytorch.org/whl/cpu/torch-2.7.1%2Bcpu-cp39-cp39-manylinux_2_28_aarch64.whl",
        sha256: null,
        metadataSha256: null,
        requiresPython: null,
      },
    ]);
  });

  it("accepts an empty package page", () => {
    expect(parseSimpleIndex("<html><body><h1>Links for torch</h1></body></html>\n", PAGE)).toEqual([]);
  });

  it.each([
    ["a page cut short", `<html><body><a href="/x.whl">x.whl</a><br/><a href="/y`],
    ["an error page", "<h1>502 Bad Gateway</h1>"],
    ["a link cut in the middle", `<html><body><a href="/x.whl">x.whl</a><a href="/y.whl"></body></html>`],
    ["a link without a name", `<html><body><a href="/x.whl"></a></body></html>`],
  ])("rejects %s with E_CATALOG_INDEX_INVALID naming the page", (_, html) => {
    expect(() => parseSimpleIndex(html, PAGE)).toThrow(
      expect.objectContaining({ code: "E_CATALOG_INDEX_INVALID" }),
    );
    expect(() => parseSimpleIndex(html, PAGE)).toThrow(PAGE);
  });
});

describe("parseWheelFilename", () => {
  it.each([
    [
      "torch-2.7.1+cu128-cp312-cp312-manylinux_2_28_x86_64.whl",
      { version: "2.7.1", variant: "cu128", python: "3.12", platform: "x86_64" },
    ],
    [
      "torch-2.9.0+cu130-cp313-cp313t-manylinux_2_28_aarch64.whl",
      { variant: "cu130", python: "3.13t", platform: "aarch64" },
    ],
    ["torch-2.14.0%2Bcpu-cp315-cp315t-manylinux_2_28_x86_64.whl", { variant: "cpu", python: "3.15t" }],
    ["torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl", { variant: null, python: "3.11", platform: "x86_64" }],
    ["torch-2.0.1+cu117-cp310-cp310-linux_x86_64.whl", { variant: "cu117", platform: "x86_64" }],
    [
      "torchvision-0.22.1+cu128-cp312-cp312-manylinux_2_28_x86_64.whl",
      { name: "torchvision", version: "0.22.1" },
    ],
  ])("%s", (filename, expected) => {
    expect(parseWheelFilename(filename)).toMatchObject(expected);
  });

  it.each([
    "torch-2.8.0.dev20250601+cu128-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.7.1+rocm6.3-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.7.1+cu128-cp312-cp312-win_amd64.whl",
    "torch-2.7.1-cp312-none-macosx_11_0_arm64.whl",
    "torch-2.7.1.tar.gz",
    "torch-2.7.1-py3-none-any.whl",
  ])("ignores %s", (filename) => {
    expect(parseWheelFilename(filename)).toBeNull();
  });
});

describe("parseMetadata", () => {
  const torch = [
    "Metadata-Version: 2.1",
    "Name: torch",
    "Version: 2.7.1+cu128",
    "Summary: Tensors and Dynamic neural networks in Python",
    "Requires-Python: >=3.9.0",
    "Requires-Dist: filelock",
    'Requires-Dist: nvidia-cuda-runtime-cu12==12.8.90; platform_system == "Linux" and platform_machine == "x86_64"',
    'Requires-Dist: nvidia-cudnn-cu12==9.7.1.26; platform_system == "Linux" and platform_machine == "x86_64"',
    'Requires-Dist: nvidia-nccl-cu12==2.26.2; platform_system == "Linux" and platform_machine == "x86_64"',
    'Requires-Dist: triton==3.3.1; platform_system == "Linux" and platform_machine == "x86_64"',
    'Requires-Dist: optree>=0.13.0; extra == "optree"',
    "",
    "Requires-Dist: not-a-header==1.0 (in the body)",
  ].join("\n");

  it("reads the CUDA library pins, triton and Requires-Python of a torch wheel", () => {
    expect(parseMetadata(torch, "t.metadata")).toMatchObject({
      name: "torch",
      version: "2.7.1+cu128",
      requiresPython: ">=3.9.0",
      cudnn: "9.7.1.26",
      nccl: "2.26.2",
      cudaRuntime: "12.8.90",
      triton: "3.3.1",
      torch: null,
    });
  });

  it("reads cu13 pins (cuda-toolkit extras form) and CRLF line ends", () => {
    const text = [
      "Metadata-Version: 2.4",
      "Name: torch",
      "Version: 2.11.0+cu130",
      'Requires-Dist: cuda-toolkit[cublas,cudart]==13.0.2; platform_system == "Linux"',
      "Requires-Dist: nvidia-cudnn-cu13==9.19.0.56; platform_system == 'Linux'",
      "Requires-Dist: nvidia-nccl-cu13==2.28.9",
    ].join("\r\n");
    expect(parseMetadata(text, "t")).toMatchObject({
      cudaRuntime: "13.0.2",
      cudnn: "9.19.0.56",
      nccl: "2.28.9",
    });
  });

  it("reads the torch a torchvision wheel pins, without its local version", () => {
    const text =
      "Metadata-Version: 2.1\nName: torchvision\nVersion: 0.22.1+cu128\nRequires-Dist: numpy\nRequires-Dist: torch==2.7.1+cu128\n";
    expect(parseMetadata(text, "v").torch).toBe("2.7.1");
  });

  it("rejects text that is not core metadata", () => {
    expect(() => parseMetadata("<html>Not Found</html>", "x.metadata")).toThrow(
      expect.objectContaining({ code: "E_CATALOG_INDEX_INVALID" }),
    );
    expect(() => parseMetadata("Name: torch\nVersion: 1\n", "x.metadata")).toThrow(/not wheel core metadata/);
  });
});
