/**
 * The CLI bundle and its V8 code cache (scripts/bundle.mjs, scripts/write-code-cache.mjs,
 * bin/load-bundle.js): the build writes a cache that the next process uses, and a cache
 * that does not belong to the bundle beside it (another build, damaged bytes) is
 * ignored without changing what the CLI does. Skipped when dist/ is not built (the
 * test command builds it first).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";

const built = existsSync("dist/cli.cjs") && existsSync("dist/cli.cjs.cache");
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** bin/ and the bundle with its cache, copied to a folder of their own. */
function copyOfCli(): string {
  const dir = mkdtempSync(join(tmpdir(), "torchstack-code-cache-test-"));
  temps.push(dir);
  cpSync("bin", join(dir, "bin"), { recursive: true });
  for (const file of ["cli.cjs", "cli.cjs.cache"]) cpSync(join("dist", file), join(dir, "dist", file));
  return dir;
}

function cacheUsed(root: string): boolean {
  const probe = `process.stdout.write(String(require(${JSON.stringify(join(root, "bin", "load-bundle.js"))}).loadBundle().cacheUsed))`;
  const result = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout === "true";
}

function version(root: string) {
  return spawnSync(process.execPath, [join(root, "bin", "torchstack.js"), "--version"], { encoding: "utf8" });
}

describe.skipIf(!built)("the bundled CLI's code cache", () => {
  it("starts the bundle with its build id, which the cache's header names", () => {
    const id = /^\/\*torchstack-build:([0-9a-f]{16})\*\//.exec(readFileSync("dist/cli.cjs", "latin1"))?.[1];
    expect(id).toBeDefined();
    const cache = readFileSync("dist/cli.cjs.cache");
    const code = cache.subarray(cache.indexOf(10) + 1);
    expect(cache.toString("latin1", 0, cache.indexOf(10))).toBe(
      `torchstack-code-cache ${id} ${code.length} ${crc32(code)}`,
    );
  });

  it("is used by the next process", () => {
    expect(cacheUsed(process.cwd())).toBe(true);
  });

  it("comes with one for each side bundle, which a command that requires one uses", () => {
    // `ps` with no engine to reach still requires the engine client (dist/vendor/dockerode.cjs) first
    const probe = [
      `const loader = require(${JSON.stringify(join(process.cwd(), "bin", "load-bundle.js"))});`,
      "const { Writable } = require('node:stream');",
      "const sink = new Writable({ write(chunk, encoding, done) { done(); } });",
      "loader.loadBundle().exports.runCli({ argv: ['ps', '--json'], cwd: process.cwd(),",
      "  env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },",
      "  stdout: sink, stderr: sink, signal: new AbortController().signal })",
      "  .then((code) => process.stdout.write(JSON.stringify({ code, sides: loader.loadedSideBundles() })));",
    ].join("\n");
    const result = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
    const { code, sides } = JSON.parse(result.stdout) as {
      code: number;
      sides: { path: string; cacheUsed: boolean }[];
    };
    expect(code).not.toBe(0);
    expect(sides).toEqual([
      { path: join(process.cwd(), "dist", "vendor", "dockerode.cjs"), cacheUsed: true },
    ]);
    for (const name of ["ajv", "dockerode", "kubernetes-models", "sbom-validator"])
      expect(existsSync(join("dist", "vendor", `${name}.cjs.cache`))).toBe(true);
  });

  it("is ignored when it names another build, and the CLI runs the same", () => {
    const root = copyOfCli();
    const cacheFile = join(root, "dist", "cli.cjs.cache");
    const cache = readFileSync(cacheFile);
    const body = cache.subarray(cache.indexOf(10) + 1);
    const header = `torchstack-code-cache 0123456789abcdef ${body.length} ${crc32(body)}\n`;
    writeFileSync(cacheFile, Buffer.concat([Buffer.from(header), body]));
    expect(cacheUsed(root)).toBe(false);
    const result = version(root);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("is not used when its bytes are damaged or cut short (V8 would crash on them), and the CLI runs the same", () => {
    const root = copyOfCli();
    const cacheFile = join(root, "dist", "cli.cjs.cache");
    const cache = readFileSync(cacheFile);
    const damaged = Buffer.from(cache);
    damaged.fill(0x5a, cache.indexOf(10) + 1 + 64, cache.indexOf(10) + 1 + 4096);
    writeFileSync(cacheFile, damaged);
    expect(cacheUsed(root)).toBe(false);
    expect(version(root).status).toBe(0);
    writeFileSync(cacheFile, cache.subarray(0, cache.length - 1000));
    expect(cacheUsed(root)).toBe(false);
    expect(version(root).status).toBe(0);
  });

  it("is not needed: without it the CLI compiles the bundle and runs", () => {
    const root = copyOfCli();
    rmSync(join(root, "dist", "cli.cjs.cache"));
    expect(cacheUsed(root)).toBe(false);
    expect(version(root).status).toBe(0);
  });

  it("says how to build when the bundle is missing", () => {
    const root = copyOfCli();
    rmSync(join(root, "dist"), { recursive: true });
    const result = version(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the bundled CLI is missing");
    expect(result.stderr).toContain("npm ci");
  });
});
