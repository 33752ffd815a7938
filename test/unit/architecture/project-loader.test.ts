/**
 * A project is opened one way: loadProject (src/project/). Outside the loader and
 * the module that owns each file (src/spec/, src/lock/, src/inventory/), no code
 * imports the functions that read the spec, the lock or the inventory, or that
 * derive the lock's path from the spec's, so "spec file → lock path → lock" and the
 * missing-lock error cannot be written a second time. Static and dynamic imports
 * are scanned; each pattern is shown to catch an example so the scan cannot
 * quietly match nothing.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../src");

/** Each reader or path helper, and the module folder that owns its file; src/project/ may use them all. */
const LOW_LEVEL = new Map([
  ["loadSpec", "spec"],
  ["readChain", "spec"],
  ["parseYamlSource", "spec"],
  ["readLock", "lock"],
  ["lockPathFor", "lock"],
  ["lockSchema", "lock"],
  ["readInventory", "inventory"],
  ["inventoryPathFor", "inventory"],
  ["inventorySchema", "inventory"],
]);

/** `import { a, b as c } from "x"`, `const { a } = await import("x")` and `(await import("x")).a`. */
const IMPORTS = [
  /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)"/g,
  /\{([^}]*)\}\s*=\s*await\s+import\(\s*"([^"]+)"\s*\)/g,
  /\(\s*await\s+import\(\s*"([^"]+)"\s*\)\s*\)\s*\.\s*(\w+)/g,
];

function importedNames(text: string): string[] {
  const names: string[] = [];
  for (const [index, pattern] of IMPORTS.entries()) {
    for (const match of text.matchAll(pattern)) {
      const list = index === 2 ? (match[2] ?? "") : (match[1] ?? "");
      for (const item of list.split(",")) {
        const name = item
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+|\s*:\s*/)[0];
        if (name && LOW_LEVEL.has(name)) names.push(name);
      }
    }
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("projects are opened only through the loader", () => {
  it("catches each way of importing a reader", () => {
    expect(importedNames(`import { lockDigest, readLock } from "../lock/lock-file.js";`)).toEqual([
      "readLock",
    ]);
    expect(
      importedNames(`import {\n  findSpecFile,\n  loadSpec as load,\n} from "../spec/load-spec.js";`),
    ).toEqual(["loadSpec"]);
    expect(importedNames(`const { lockPathFor } = await import("../../lock/lock-file.js");`)).toEqual([
      "lockPathFor",
    ]);
    expect(importedNames(`const chain = (await import("../spec/spec-chain.js")).readChain(file);`)).toEqual([
      "readChain",
    ]);
    expect(importedNames(`import { loadProject } from "../project/load-project.js";`)).toEqual([]);
  });

  it("has no reader of the spec, the lock or the inventory outside src/project/ and their own modules", () => {
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const folder = relative(SRC, file).split("/")[0] ?? "";
      if (folder === "project") continue;
      for (const name of importedNames(readFileSync(file, "utf8")))
        if (LOW_LEVEL.get(name) !== folder) found.push(`src/${relative(SRC, file)} imports ${name}`);
    }
    expect(
      found,
      "open the project with loadProject (src/project/load-project.ts): it finds the spec, reads the lock " +
        "(E_NO_LOCK when missing), checks it fresh when asked (E_LOCK_STALE) and reads the inventory",
    ).toEqual([]);
  });
});
