/**
 * The structure of src/ reads top-down: every import between top-level folders
 * points to the same layer or a lower one, and no two folders import each other
 * (directly or through others). A new back-edge fails here with the file and the
 * import that made it; to add a folder, give it a layer below.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/** Higher layers may import lower ones. Folders in one layer must not form a cycle. */
const LAYERS: readonly (readonly string[])[] = [
  ["cli"],
  ["workflows"],
  ["export", "sbom", "job", "monitor", "diagnose", "probe"],
  ["project"], // the one loader of spec, lock and inventory, for workflows and the capabilities above
  ["environments", "image-build"],
  ["engine"],
  ["image", "inventory"],
  ["lock"],
  ["resolve", "spec"],
  ["host", "gpu"],
  ["catalog"],
  ["process", "fs"],
  ["errors", "report", "settings"],
];

const SRC = join(import.meta.dirname, "../../../src");

function layerOf(folder: string): number {
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  if (index === -1)
    throw new Error(
      `src/${folder}/ has no layer: add it to LAYERS in ${relative(process.cwd(), import.meta.filename)}`,
    );
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split("/")[0] ?? "";
    if (!statSync(join(SRC, from)).isDirectory()) continue;
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const specifier = match[1] ?? "";
      const target = relative(SRC, normalize(join(dirname(file), specifier)));
      const to = target.split("/")[0] ?? "";
      if (to === from || target.startsWith("..") || !target.includes("/")) continue;
      edges.push({ from, to, file: relative(SRC, file), specifier });
    }
  }
  return edges;
}

describe("src/ layers", () => {
  const edges = folderEdges();

  it("has edges to check (the scan works)", () => {
    expect(edges.length).toBeGreaterThan(50);
  });

  it("imports only downward or within a layer", () => {
    const upward = edges
      .filter((e) => layerOf(e.to) < layerOf(e.from))
      .map((e) => `src/${e.file} imports ${e.specifier} (${e.from} → ${e.to} points up)`);
    expect(upward).toEqual([]);
  });

  it("has no cycle between top-level folders", () => {
    const next = new Map<string, Set<string>>();
    for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      for (const to of next.get(node) ?? []) {
        if (path.includes(to)) cycles.push([...path.slice(path.indexOf(to)), to].join(" → "));
        else visit(to, [...path, to]);
      }
    };
    for (const start of next.keys()) visit(start, [start]);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
