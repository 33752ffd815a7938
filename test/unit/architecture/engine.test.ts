/**
 * src/engine/ is the container-engine adapter alone: it never imports the capabilities built on it
 * (src/environments/, src/image-build/), and it is the one place that knows which docker CLI to run.
 * A source file outside src/engine/ that reads TORCHSTACK_DOCKER or TORCHSTACK_DOCKER_CLI, or names
 * the docker binary in a string ("docker", "/usr/bin/docker"), fails here with its name and line;
 * take the CLI from src/engine/docker-cli.ts (dockerCli, DOCKER_ON_PATH) instead.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../src");
const IMPORT = /(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g;
const DOCKER_SETTING = /\bTORCHSTACK_DOCKER(?:_CLI)?\b/;
const DOCKER_BINARY = /(["'])(?:[^"'\n]*\/)?docker\1/;

/** Files allowed to name them, and why. */
const ALLOWED: Readonly<Record<string, string>> = {
  // the table docs/settings.md is generated from: it documents both settings
  "settings/settings-table.ts": "setting",
  // `slurm.container: docker` is a spec value: the runtime on the cluster's nodes, not this host's CLI
  "spec/job-schema.ts": "binary",
  "job/render/slurm-container.ts": "binary",
  "job/check/job-checks.ts": "binary",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(?:ts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The code of a file without its comments (a comment may mention `docker`). */
function withoutComments(text: string): string {
  return text
    .replace(/(^|\s)\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|\s)\/\/.*$/gm, "$1");
}

/** `file:line: text` for every line of `text` that matches `pattern`. */
function matchingLines(file: string, text: string, pattern: RegExp): string[] {
  return text
    .split("\n")
    .flatMap((line, i) => (pattern.test(line) ? [`src/${file}:${i + 1}: ${line.trim()}`] : []));
}

describe("src/engine/ is the adapter, and the one place that picks the docker CLI", () => {
  const files = sourceFiles(SRC).map((file) => relative(SRC, file));

  it("recognises what it guards against", () => {
    expect(DOCKER_BINARY.test('run("docker", ["image", "inspect"])')).toBe(true);
    expect(DOCKER_BINARY.test('const file = "/usr/local/bin/docker";')).toBe(true);
    expect(DOCKER_BINARY.test("env.TORCHSTACK_DOCKER ?? 'docker'")).toBe(true);
    expect(DOCKER_SETTING.test("env.TORCHSTACK_DOCKER_CLI || cli")).toBe(true);
    expect(DOCKER_SETTING.test("TORCHSTACK_DOCKERD_LOG")).toBe(false);
    expect(DOCKER_BINARY.test('"docker://" + ref; "docker.io"; "^lo,docker0"')).toBe(false);
    expect(withoutComments('// run("docker")\nx; /* "docker" */ y')).not.toMatch(DOCKER_BINARY);
  });

  it("src/engine/ imports nothing from the capabilities above it", () => {
    const upward = files
      .filter((file) => file.startsWith("engine/"))
      .flatMap((file) =>
        [...readFileSync(join(SRC, file), "utf8").matchAll(IMPORT)]
          .map((m) => relative(SRC, normalize(join(dirname(join(SRC, file)), m[1] ?? ""))))
          .filter((target) => /^(?:environments|image-build)\//.test(target))
          .map((target) => `src/${file} imports src/${target}`),
      );
    expect(
      upward,
      "the engine adapter must not know environments or builds: move the code down or up",
    ).toEqual([]);
  });

  it("no source file outside src/engine/ reads TORCHSTACK_DOCKER* or names the docker binary", () => {
    const offenders = files
      .filter((file) => !file.startsWith("engine/"))
      .flatMap((file) => {
        const code = withoutComments(readFileSync(join(SRC, file), "utf8"));
        return [
          ...(ALLOWED[file] === "setting" ? [] : matchingLines(file, code, DOCKER_SETTING)),
          ...(ALLOWED[file] === "binary" ? [] : matchingLines(file, code, DOCKER_BINARY)),
        ];
      });
    expect(
      offenders,
      "take the CLI from src/engine/docker-cli.ts: dockerCli(use, env), DOCKER_ON_PATH",
    ).toEqual([]);
  });
});
