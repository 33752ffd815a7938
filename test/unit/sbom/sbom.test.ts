import { describe, expect, it } from "vitest";
import type { Inventory } from "../../../src/inventory/inventory-schema.js";
import { buildSbom, debPurl, pypiPurl } from "../../../src/sbom/build-sbom.js";
import { subjectFromLabels } from "../../../src/sbom/sbom-subject.js";
import { validateSbom } from "../../../src/sbom/validate-sbom.js";
import { sbomOutputPath } from "../../../src/sbom/write-sbom.js";

const inventory: Inventory = {
  inventoryVersion: 1,
  image: {
    id: "sha256:1111111111111111111111111111111111111111111111111111111111111111",
    ref: "demo:lock-abc",
  },
  python: "3.12.3",
  dpkg: [
    { name: "base-files", version: "13.8", arch: "amd64" },
    { name: "libstdc++6", version: "14.2.0-19", arch: "amd64" },
    { name: "python3-numpy", version: "1:2.2.4+ds-1", arch: "amd64" },
  ],
  pip: [
    { name: "numpy", version: "2.2.4", location: "system" },
    { name: "nvidia-cudnn-cu12", version: "9.7.1.26", location: "venv" },
    { name: "nvidia-nccl-cu12", version: "2.26.2", location: "venv" },
    { name: "torch", version: "2.7.1+cu128", location: "venv" },
  ],
};

const labels = {
  "org.opencontainers.image.title": "demo",
  "org.opencontainers.image.version": "torch2.7.1-cu128-py3.12-runtime",
  "org.opencontainers.image.base.name": "ubuntu:24.04",
  "org.opencontainers.image.base.digest":
    "sha256:2222222222222222222222222222222222222222222222222222222222222222",
  "dev.torchstack.torch-source": "wheels",
  "dev.torchstack.stack": JSON.stringify({
    torch: "2.7.1",
    wheel: "cu128",
    cuda: "12.8",
    cudnn: "9.7.1",
    nccl: "2.26.2",
    archList: ["sm_80", "sm_90"],
  }),
};

describe("buildSbom", () => {
  const subject = subjectFromLabels("demo:lock-abc", inventory.image.id, labels);
  const bom = buildSbom(subject, inventory, "0.1.0");

  it("validates against the official CycloneDX 1.6 schema", async () => {
    await expect(validateSbom(JSON.stringify(bom))).resolves.toBeUndefined();
  });

  it("fails validation for a component the schema does not know", async () => {
    const broken = { ...bom, components: [{ ...bom.components[0], colour: "red" }] };
    await expect(validateSbom(JSON.stringify(broken))).rejects.toMatchObject({ code: "E_SBOM_INVALID" });
  });

  it("names deb and pypi packages by purl, with the Debian release and encoded versions", () => {
    expect(debPurl("python3-numpy", "1:2.2.4+ds-1", "amd64", "debian-13")).toBe(
      "pkg:deb/debian/python3-numpy@1%3A2.2.4%2Bds-1?arch=amd64&distro=debian-13",
    );
    expect(pypiPurl("Jupyter_Server", "2.15.0")).toBe("pkg:pypi/jupyter-server@2.15.0");
    const purls = bom.components.map((c) => c.purl).filter(Boolean);
    expect(purls).toContain("pkg:deb/debian/libstdc%2B%2B6@14.2.0-19?arch=amd64&distro=debian-13");
    expect(purls).toContain("pkg:pypi/torch@2.7.1%2Bcu128");
  });

  it("marks the torch build and lists the base image and torch's CUDA libraries", () => {
    const torch = bom.components.find((c) => c.name === "torch");
    expect(torch?.properties).toEqual(
      expect.arrayContaining([
        { name: "torchstack:torch:variant", value: "cu128" },
        { name: "torchstack:torch:cuda", value: "12.8" },
        { name: "torchstack:torch:cudnn", value: "9.7.1" },
        { name: "torchstack:torch:nccl", value: "2.26.2" },
        { name: "torchstack:torch:archList", value: "sm_80 sm_90" },
      ]),
    );
    const base = bom.components.find((c) => c["bom-ref"] === "base-image");
    expect(base).toMatchObject({ type: "container", name: "ubuntu:24.04" });
    const cuda = bom.components.filter((c) => c.group === "nvidia").map((c) => `${c.name}@${c.version}`);
    expect(cuda).toEqual(["cuda-runtime@12.8", "cudnn@9.7.1", "nccl@2.26.2"]);
    const cudnn = bom.components.find((c) => c.name === "cudnn");
    expect(cudnn?.properties).toContainEqual({
      name: "torchstack:shipped-by",
      value: "pkg:pypi/nvidia-cudnn-cu12@9.7.1.26",
    });
  });

  it("is deterministic: the same image gives the same document", () => {
    expect(JSON.stringify(buildSbom(subject, inventory, "0.1.0"))).toBe(JSON.stringify(bom));
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe("sbomOutputPath", () => {
  const lockPath = "/checkout/examples/cpu/torchstack.lock";
  it("writes an environment's SBOM where the user is, not into its spec folder", () => {
    expect(
      sbomOutputPath({ target: "cpu-example" }, { lockPath, fallbackName: "cpu-example" }, "/home/me"),
    ).toBe("/home/me/cpu-example.cdx.json");
  });
  it("writes the spec's SBOM beside its lock, and -o wherever it says", () => {
    expect(sbomOutputPath({}, { lockPath, fallbackName: "cpu-example" }, "/home/me")).toBe(
      "/checkout/examples/cpu/torchstack.cdx.json",
    );
    expect(sbomOutputPath({ target: "x", output: "out/s.json" }, { lockPath, fallbackName: "x" }, "/w")).toBe(
      "/w/out/s.json",
    );
  });
});
