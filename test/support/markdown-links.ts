/**
 * Finds the relative links of a markdown file (inline links, images and reference
 * definitions; not those inside code) and says which of them point at nothing, so a
 * test can keep README.md and docs/ free of dangling links when files move.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** A link that points outside the repository, or only at a heading of the same page. */
const NOT_A_FILE = /^(?:[a-z][a-z0-9+.-]*:|#)/i;

/** The markdown with fenced code blocks and inline code spans blanked out. */
function withoutCode(markdown: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opener) fence = opener;
    else if (fence !== undefined && opener?.startsWith(fence)) fence = undefined;
    else if (fence === undefined) kept.push(line.replace(/(`+)[^`][\s\S]*?\1/g, ""));
  }
  return kept.join("\n");
}

/** Every link target in the markdown that names a file: fragment and query removed, percent-decoded. */
export function relativeLinks(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets = [
    ...[...text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)].map((m) => m[1]),
  ];
  return targets
    .map((target) => (target ?? "").replace(/^<|>$/g, ""))
    .filter((target) => target !== "" && !NOT_A_FILE.test(target))
    .map((target) => decodeURIComponent(target.replace(/[#?].*$/, "")));
}

/** The links of `file` (a path under `root`) whose target does not exist, as "file → target". */
export function danglingLinks(root: string, file: string, markdown: string): string[] {
  return relativeLinks(markdown)
    .filter((target) => {
      const path = target.startsWith("/") ? join(root, target) : join(root, dirname(file), target);
      return !existsSync(path);
    })
    .map((target) => `${file} → ${target}`);
}
