/**
 * The documentation a new contributor reads first has no dangling links: every relative
 * link in README.md and docs/**\/*.md points at a file that exists. And docs/ keeps its
 * layout: guides at the top, benchmark results in docs/bench/ (where every bench script
 * writes), screenshots in docs/images/.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { danglingLinks, relativeLinks } from "../../support/markdown-links.js";

const root = join(import.meta.dirname, "..", "..", "..");

/** Every file under `dir` whose name ends in `suffix`, as paths relative to the repository root. */
function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return filesUnder(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

describe("relativeLinks", () => {
  it("finds inline links, images and reference definitions, without anchors", () => {
    const markdown = [
      "See [the spec](spec.md#targets-and-the-lock) and ![a screenshot](images/a.png 'title').",
      "[![badge](images/b.png)](bench/bench-cli.md) [web](https://example.com/x.md) [top](#top)",
      "[ref]: ../README.md",
      "[spaced](<with space.md>) [encoded](with%20space.md)",
    ].join("\n");
    expect(relativeLinks(markdown)).toEqual([
      "spec.md",
      "images/a.png",
      "images/b.png",
      "bench/bench-cli.md",
      "with space.md",
      "with space.md",
      "../README.md",
    ]);
  });

  it("ignores links inside code spans and fenced code blocks", () => {
    const markdown = [
      "`[not](a.md)` [real](b.md)",
      "```md",
      "[not](c.md)",
      "```",
      "~~~",
      "[not](d.md)",
      "~~~",
    ];
    expect(relativeLinks(markdown.join("\n"))).toEqual(["b.md"]);
  });
});

describe("danglingLinks", () => {
  const dir = mkdtempSync(join(tmpdir(), "torchstack-doc-links-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a link whose file is missing, relative to the linking file's folder", () => {
    mkdirSync(join(dir, "docs", "bench"), { recursive: true });
    writeFileSync(join(dir, "docs", "bench", "bench-cli.md"), "");
    const markdown = "[ok](bench/bench-cli.md) [moved](bench-cli.md) [up](../README.md)";
    expect(danglingLinks(dir, "docs/guide.md", markdown)).toEqual([
      "docs/guide.md → bench-cli.md",
      "docs/guide.md → ../README.md",
    ]);
  });
});

describe("the documentation", () => {
  const markdownFiles = ["README.md", ...filesUnder("docs", ".md")];

  it("has no relative link to a file that does not exist", () => {
    expect(markdownFiles.length).toBeGreaterThan(10);
    const dangling = markdownFiles.flatMap((file) =>
      danglingLinks(root, file, readFileSync(join(root, file), "utf8")),
    );
    expect(dangling).toEqual([]);
  });

  it("keeps only guides at the top of docs/: results in docs/bench/, screenshots in docs/images/", () => {
    const top = readdirSync(join(root, "docs")).filter((name) => statSync(join(root, "docs", name)).isFile());
    expect(top.filter((name) => !name.endsWith(".md") || name.startsWith("bench"))).toEqual([]);
    expect(filesUnder("docs", ".png").filter((path) => !path.startsWith("docs/images/"))).toEqual([]);
  });

  it("is where every bench script writes its results: docs/bench/", () => {
    const outside = filesUnder("bench", ".mjs").flatMap((file) =>
      [...readFileSync(join(root, file), "utf8").matchAll(/\bdocs\/[\w./${}-]*/g)]
        .map((m) => m[0])
        .filter((path) => !path.startsWith("docs/bench/"))
        .map((path) => `${relative(root, join(root, file))}: ${path}`),
    );
    expect(outside).toEqual([]);
  });
});
