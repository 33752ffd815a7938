// Every provenance in the built-in catalog names a source file inside this repository
// (docs/sources/…), never a path outside it such as the old ../shared/reference/
// (a clone or a published package must carry every source the catalog cites).
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../../src/catalog/catalog.js";
import { SERIES_SOURCE } from "../../../src/catalog/gpu-series.js";
import type { Provenance } from "../../../src/catalog/provenance.js";

const root = join(import.meta.dirname, "..", "..", "..");

function allProvenance(): Array<[string, Provenance]> {
  const rows: Array<[string, Provenance]> = [["gpu series", SERIES_SOURCE]];
  for (const release of builtinCatalog.torchReleases) {
    rows.push([`torch ${release.version}`, release.source]);
    if (release.pairingSource) rows.push([`torch ${release.version} pairing`, release.pairingSource]);
    for (const variant of release.variants) {
      rows.push([`torch ${release.version} ${variant.wheel}`, variant.source]);
      if (variant.archSource)
        rows.push([`torch ${release.version} ${variant.wheel} arch`, variant.archSource]);
    }
  }
  for (const toolkit of builtinCatalog.cudaToolkits) rows.push([`CUDA ${toolkit.version}`, toolkit.source]);
  for (const family of builtinCatalog.cudaFamilies) rows.push([`CUDA ${family.major}.x`, family.source]);
  for (const gpu of builtinCatalog.gpus) {
    rows.push([gpu.name, gpu.source]);
    if (gpu.computeCapabilitySource) rows.push([`${gpu.name} capability`, gpu.computeCapabilitySource]);
  }
  return rows;
}

describe("catalog provenance", () => {
  it("names a repository file that exists, relative to the repository root, for every fact", () => {
    const rows = allProvenance();
    expect(rows.length).toBeGreaterThan(200);
    for (const [what, source] of rows) {
      expect(source.file, what).toBeDefined();
      const file = (source.file ?? "").split("#")[0] ?? "";
      expect(isAbsolute(file) || file.startsWith(".."), `${what}: ${file}`).toBe(false);
      expect(existsSync(join(root, file)), `${what}: ${file} exists`).toBe(true);
    }
  });

  it("never points outside the repository", () => {
    for (const [what, source] of allProvenance()) {
      expect(JSON.stringify(source), what).not.toMatch(/shared\/reference|\.\.\/|\/work\//);
    }
    expect(builtinCatalog.provenance.builtin.ref).toBe("docs/sources/compat-facts.md");
    expect(existsSync(join(root, builtinCatalog.provenance.builtin.ref))).toBe(true);
  });

  it("each copied source says where and when it was taken", async () => {
    const { readFileSync } = await import("node:fs");
    for (const file of [
      "compat-facts.md",
      "test-infra-release-branches.txt",
      "test-infra-release-matrix-history.txt",
    ]) {
      const first = readFileSync(join(root, "docs", "sources", file), "utf8").split("\n")[0] ?? "";
      expect(first, file).toMatch(/Copied verbatim from .* on 2026-12-01/);
    }
  });
});
