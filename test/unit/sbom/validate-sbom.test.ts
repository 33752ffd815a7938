import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateSbom } from "../../../src/sbom/validate-sbom.js";

const root = join(import.meta.dirname, "..", "..", "..");

describe("the vendored CycloneDX schema", () => {
  it("is byte-identical to the CycloneDX library's copy of the official schema", () => {
    const library = dirname(
      createRequire(import.meta.url).resolve("@cyclonedx/cyclonedx-library/package.json"),
    );
    for (const file of [
      "bom-1.6.SNAPSHOT.schema.json",
      "spdx.SNAPSHOT.schema.json",
      "jsf-0.82.SNAPSHOT.schema.json",
    ]) {
      const ours = readFileSync(join(import.meta.dirname, "../../../src/sbom/schema", file), "utf8");
      const theirs = readFileSync(join(library, "res", "schema", file), "utf8");
      expect(ours, file).toBe(theirs);
    }
  });

  it("is compiled into bom-1.6.validate.js from these files (run node scripts/write-sbom-validator.mjs)", () => {
    const check = spawnSync(process.execPath, ["scripts/write-sbom-validator.mjs", "--check"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});

describe("validateSbom (the compiled official schema)", () => {
  const minimal = {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    version: 1,
    metadata: { timestamp: "2026-12-01T10:00:00Z" },
    components: [{ type: "library", name: "numpy", version: "2.2.4", purl: "pkg:pypi/numpy@2.2.4" }],
  };
  const check = (bom: unknown) => validateSbom(JSON.stringify(bom));

  it("accepts a valid document", async () => {
    await expect(check(minimal)).resolves.toBeUndefined();
  });

  it("rejects a wrong type, an unknown component type and a duplicate component, with ajv's errors", async () => {
    await expect(check({ ...minimal, version: "1" })).rejects.toMatchObject({
      code: "E_SBOM_INVALID",
      details: { errors: [expect.objectContaining({ instancePath: "/version", keyword: "type" })] },
    });
    await expect(check({ ...minimal, components: [{ type: "gadget", name: "x" }] })).rejects.toMatchObject({
      code: "E_SBOM_INVALID",
    });
    const twice = [minimal.components[0], minimal.components[0]];
    await expect(check({ ...minimal, components: twice })).rejects.toMatchObject({
      details: { errors: [expect.objectContaining({ keyword: "uniqueItems" })] },
    });
  });

  it("checks the formats as before: date-time, idn-email and uri", async () => {
    await expect(check({ ...minimal, metadata: { timestamp: "yesterday" } })).rejects.toMatchObject({
      details: { errors: [expect.objectContaining({ keyword: "format", params: { format: "date-time" } })] },
    });
    const author = (email: string) => ({ ...minimal, metadata: { authors: [{ name: "a", email }] } });
    await expect(check(author("dev@example.org"))).resolves.toBeUndefined();
    await expect(check(author("not an address"))).rejects.toMatchObject({
      details: { errors: [expect.objectContaining({ params: { format: "idn-email" } })] },
    });
    const withRef = (url: string) => ({ ...minimal, externalReferences: [{ type: "website", url }] });
    await expect(check(withRef("https://example.org/x"))).resolves.toBeUndefined();
  });
});
