import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { renderSettingsDocs } from "../../../src/settings/render-settings-docs.js";
import { SETTINGS } from "../../../src/settings/settings-table.js";

const ROOT = join(import.meta.dirname, "../../..");
const SCANNED = ["src", "scripts", "bin", "bench", "test", ".ci"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "fixtures" || name === "__snapshots__") return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/**
 * Every `TORCHSTACK_*` name in the sources outside this folder, with the first file naming it
 * (a build-time define like `__TORCHSTACK_X__` is not a variable).
 */
function namesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const own = join(ROOT, "src/settings");
  for (const file of SCANNED.flatMap((dir) => files(join(ROOT, dir))).filter((f) => !f.startsWith(own))) {
    for (const match of readFileSync(file, "utf8").matchAll(
      /(?<![_A-Za-z])TORCHSTACK_[A-Z0-9_]*[A-Z0-9]\b/g,
    )) {
      if (!found.has(match[0])) found.set(match[0], relative(ROOT, file));
    }
  }
  return found;
}

describe("TORCHSTACK_* settings", () => {
  it("docs/settings.md is generated from the table and up to date (run `npm run docs:settings`)", () => {
    const committed = readFileSync(join(ROOT, "docs/settings.md"), "utf8");
    expect(committed).toBe(renderSettingsDocs());
  });

  it("every variable a source file names is in the table", () => {
    const missing = [...namesInSources()]
      .filter(([name]) => !(name in SETTINGS))
      .map(([name, file]) => `${name} (first in ${file}): add it to src/settings/settings-table.ts`);
    expect(missing).toEqual([]);
  });

  it("the table names no variable that nothing reads or sets any more", () => {
    const used = namesInSources();
    const stale = Object.keys(SETTINGS).filter((name) => !used.has(name));
    expect(stale).toEqual([]);
  });
});
