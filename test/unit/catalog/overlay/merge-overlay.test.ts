// Merging index facts onto the built-in catalog, loading the overlay from the state folder,
// and the age warning resolve prints.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { builtinCatalog, loadCatalog } from "../../../../src/catalog/catalog.js";
import { catalogAgeWarning } from "../../../../src/catalog/catalog-age.js";
import { mergeOverlay } from "../../../../src/catalog/overlay/merge-overlay.js";
import type { IndexVariant, Overlay } from "../../../../src/catalog/overlay/overlay-schema.js";
import { resolveStack } from "../../../../src/resolve/resolve-stack.js";

const variant = (wheel: string, extra: Partial<IndexVariant> = {}): IndexVariant => ({
  wheel,
  pythons: ["3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"],
  platforms: ["x86_64"],
  cudnn: wheel === "cpu" ? null : "9.30.0.1",
  nccl: wheel === "cpu" ? null : "2.40.1",
  cudaRuntime: null,
  triton: "4.0.0",
  requiresPython: ">=3.10",
  metadataFrom: `torch-x+${wheel}.whl`,
  ...extra,
});

const overlay = (releases: Overlay["releases"]): Overlay => ({
  schema: 1,
  index: "http://127.0.0.1:1/whl",
  fetchedAt: "2026-12-20T10:00:00.000Z",
  releases,
});

const find = (catalog: typeof builtinCatalog, version: string) => {
  const release = catalog.torchReleases.find((r) => r.version === version);
  if (!release) throw new Error(`no ${version}`);
  return release;
};

describe("mergeOverlay", () => {
  it("adds a new release that inherits each variant's arch list from the previous release, marked inferred", () => {
    const merged = mergeOverlay(
      builtinCatalog,
      overlay([
        {
          version: "2.14.2",
          variants: [variant("cpu"), variant("cu126"), variant("cu130"), variant("cu129")],
          pypiDefault: null,
          torchvision: "0.29.3",
          torchaudio: null,
        },
      ]),
      "overlay.json",
    );
    const release = find(merged, "2.14.2");
    expect(release.unconfirmed).toMatch(/inherited from torch 2\.14\.1/);
    expect(release.pypiDefault).toBe("cu130");
    expect(release.variants.map((v) => v.wheel)).toEqual(["cpu", "cu126", "cu129", "cu130"]);
    const cu130 = release.variants.find((v) => v.wheel === "cu130");
    expect(cu130?.archList).toEqual(
      find(builtinCatalog, "2.14.1").variants.find((v) => v.wheel === "cu130")?.archList,
    );
    expect(cu130?.archSource).toMatchObject({
      status: "unverified",
      note: expect.stringMatching(/inherited/),
    });
    expect(cu130).toMatchObject({ cudnn: "9.30.0.1", source: { status: "primary" } });
    // cu129 was index-only when it last appeared (2.13), so it stays index-only
    expect(release.variants.find((v) => v.wheel === "cu129")?.indexOnly).toBe(true);
    expect(merged.provenance.overlay).toMatchObject({ releases: ["2.14.2"], file: "overlay.json" });
    // never the default torch while its arch lists are inferred
    expect(resolveStack({}, merged).stack.torch).toBe("2.14.1");
    expect(resolveStack({ torch: "2.14.2" }, merged).stack).toMatchObject({
      torch: "2.14.2",
      wheel: "cu130",
      cudnn: "9.30.0.1",
    });
  });

  it("on a known release: takes the index's pins, keeps built-in arch lists, adds index-only variants", () => {
    const merged = mergeOverlay(
      builtinCatalog,
      overlay([
        {
          version: "2.11.0",
          variants: [variant("cu128", { cudnn: "9.19.0.56" }), variant("cu131")],
          pypiDefault: "cu130",
          torchvision: null,
          torchaudio: null,
        },
      ]),
      "overlay.json",
    );
    const release = find(merged, "2.11.0");
    expect(release.unconfirmed).toBeUndefined();
    expect(release.torchvision).toBe("0.26.0");
    expect(release.torchaudio).toBe("2.11.0");
    const cu128 = release.variants.find((v) => v.wheel === "cu128");
    const builtin128 = find(builtinCatalog, "2.11.0").variants.find((v) => v.wheel === "cu128");
    expect(cu128?.archList).toEqual(builtin128?.archList);
    expect(cu128?.archSource).toEqual(builtin128?.archSource);
    // variants the index page did not list stay as built in
    expect(release.variants.map((v) => v.wheel)).toEqual([
      "cpu",
      "cu126",
      "cu128",
      "cu129",
      "cu130",
      "cu131",
    ]);
    expect(release.variants.find((v) => v.wheel === "cu131")).toMatchObject({
      indexOnly: true,
      experimental: true,
      archList: [],
    });
  });
});

describe("loadCatalog", () => {
  let state: string | undefined;
  afterEach(() => {
    if (state) rmSync(state, { recursive: true, force: true });
  });

  it("is the built-in catalog when there is no overlay, and merges the one in the state folder", async () => {
    state = mkdtempSync(join(tmpdir(), "torchstack-overlay-"));
    expect(await loadCatalog({ env: { TORCHSTACK_STATE_DIR: state } })).toBe(builtinCatalog);
    mkdirSync(join(state, "catalog"));
    const data = overlay([
      {
        version: "2.17.0",
        variants: [variant("cpu"), variant("cu132")],
        pypiDefault: null,
        torchvision: null,
        torchaudio: null,
      },
    ]);
    writeFileSync(join(state, "catalog", "overlay.json"), JSON.stringify(data));
    const catalog = await loadCatalog({ env: { TORCHSTACK_STATE_DIR: state } });
    expect(catalog.torchReleases.at(-1)?.version).toBe("2.17.0");
  });

  it("refuses a corrupt overlay with the fix", async () => {
    state = mkdtempSync(join(tmpdir(), "torchstack-overlay-"));
    mkdirSync(join(state, "catalog"));
    writeFileSync(join(state, "catalog", "overlay.json"), '{"schema":1,"releases":[');
    await expect(loadCatalog({ env: { TORCHSTACK_STATE_DIR: state } })).rejects.toMatchObject({
      code: "E_CATALOG_OVERLAY_INVALID",
      remedies: [expect.stringMatching(/catalog update/), expect.stringMatching(/delete/)],
    });
  });
});

describe("catalogAgeWarning", () => {
  it("is silent up to 60 days, then names the update command", () => {
    expect(catalogAgeWarning(builtinCatalog, new Date("2027-01-30T00:00:00Z"))).toBeUndefined();
    expect(catalogAgeWarning(builtinCatalog, new Date("2027-02-15T00:00:00Z"))).toMatch(
      /76 days old \(built-in data of 2026-12-01, no overlay\).*torchstack catalog update/,
    );
  });

  it("counts from the overlay when it is newer than the built-in data", () => {
    const merged = mergeOverlay(builtinCatalog, overlay([]), "overlay.json");
    expect(catalogAgeWarning(merged, new Date("2027-02-15T00:00:00Z"))).toBeUndefined();
    expect(catalogAgeWarning(merged, new Date("2027-03-01T00:00:00Z"))).toMatch(
      /70 days old.*overlay read from/,
    );
  });
});
