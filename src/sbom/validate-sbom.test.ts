import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

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
      const ours = readFileSync(join(import.meta.dirname, "schema", file), "utf8");
      const theirs = readFileSync(join(library, "res", "schema", file), "utf8");
      expect(ours, file).toBe(theirs);
    }
  });
});
