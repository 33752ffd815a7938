/**
 * Reads YAML text the careful way for torchstack.yaml: size, alias and depth
 * limits against hostile input, syntax errors with line:column, and a document
 * kept with positions so later errors can name the line of any key path.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { SpecError } from "../errors/torchstack-error.js";

export const MAX_SPEC_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;
const MAX_DEPTH = 32;

export type KeyPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  data: unknown;
  /** 1-based line of the key (or item) at `path`, or of its nearest present ancestor. */
  lineOf(path: KeyPath): number | undefined;
  /** True when `path` is written in this file (used to blame the right file with `extends`). */
  has(path: KeyPath): boolean;
}

export function formatPath(path: KeyPath): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join("");
}

function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || value === null || typeof value !== "object") return depth;
  let max = depth;
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child, limit, depth + 1));
  return max;
}

/** Finds the node for `path`, and how much of the path was found. */
function walk(root: unknown, path: KeyPath): { node: Node | null; keyNode: Node | null; found: number } {
  let node: unknown = root;
  let keyNode: Node | null = null;
  let found = 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part];
      if (item === undefined) break;
      keyNode = item as Node;
      node = item;
    } else break;
    found++;
  }
  return { node: (node as Node | null) ?? null, keyNode, found };
}

export function specTooLarge(file: string): SpecError {
  return new SpecError(
    "E_SPEC_TOO_LARGE",
    `file is larger than ${MAX_SPEC_BYTES} bytes`,
    { file },
    {
      remedies: ["a torchstack.yaml is a few dozen lines; check that -f points at the right file"],
    },
  );
}

export function parseYamlSource(file: string, text: string): YamlSource {
  if (Buffer.byteLength(text, "utf8") > MAX_SPEC_BYTES) throw specTooLarge(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, schema: "core" });
  // Unknown tags (`!!js/function`) are only warnings to the yaml library; a spec has no use for them.
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const where = ` (column ${col})`;
    throw new SpecError(
      "E_SPEC_YAML",
      `not valid YAML${where}: ${first.message.split("\n")[0]}`,
      { file, line },
      {
        remedies: ["fix the YAML syntax at that line (indentation with spaces, `key: value`, quotes closed)"],
      },
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new SpecError(
      "E_SPEC_YAML",
      `YAML aliases expand too much: ${(error as Error).message}`,
      { file },
      {
        remedies: ["write the values out instead of using anchors and aliases (&a / *a)"],
      },
    );
  }
  if (depthOf(data, MAX_DEPTH) > MAX_DEPTH) {
    throw new SpecError(
      "E_SPEC_YAML",
      `nesting deeper than ${MAX_DEPTH} levels`,
      { file },
      {
        remedies: ["a torchstack.yaml is at most a few levels deep; see docs/spec.md"],
      },
    );
  }
  const lineAt = (node: Node | null): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  return {
    file,
    data: data ?? {},
    lineOf(path) {
      const { keyNode, node, found } = walk(doc.contents, path);
      if (found === path.length) return lineAt(keyNode) ?? lineAt(node);
      return found === 0 ? lineAt(doc.contents as Node | null) : (lineAt(keyNode) ?? lineAt(node));
    },
    has(path) {
      return walk(doc.contents, path).found === path.length;
    },
  };
}
