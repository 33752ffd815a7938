import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBuildContext, writeBuildContext } from "../../../src/image/render-context.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { DISTRO_STACK } from "../../fixtures/specs/stacks.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const fixtures = join(import.meta.dirname, "../../fixtures/specs");
const spec = parseSpecText(readFileSync(join(fixtures, "cpu-distro.yaml"), "utf8"));
const context = renderBuildContext({
  lock: buildLock({ spec, specFile: "x", stack: DISTRO_STACK }),
  syntax: false,
});

describe("renderBuildContext", () => {
  it("has the Dockerfile, constraints, requirements, rootfs from the image assets, and a .dockerignore", () => {
    const paths = context.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "Dockerfile",
        ".dockerignore",
        "constraints.txt",
        "requirements.txt",
        "rootfs/usr/local/bin/torchstack-entrypoint",
        "rootfs/usr/local/bin/torchstack-healthcheck",
        "rootfs/etc/torchstack/apps",
      ]),
    );
    const constraints = context.files.find((f) => f.path === "constraints.txt")?.content ?? "";
    // What Debian's packages report to pip (measured), so pip sees the installed torch as satisfying.
    expect(constraints).toContain("torch==1.13.0a0+gitunknown\ntorchvision==0.14.1a0\ntorchaudio==0.13.1\n");
    expect(context.files.find((f) => f.path === "rootfs/usr/local/bin/torchstack-entrypoint")?.mode).toBe(
      0o755,
    );
    expect(context.files.find((f) => f.path === "rootfs/etc/torchstack/apps")?.content).toContain(
      "jupyter 8888 server",
    );
  });
});

describe("writeBuildContext", () => {
  it("writes every file with its mode and replaces its own directory whole", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ts-ctx-")), "ctx");
    writeBuildContext(dir, context);
    expect(statSync(join(dir, "rootfs/usr/local/bin/torchstack-entrypoint")).mode & 0o777).toBe(0o755);
    writeFileSync(join(dir, "stale.txt"), "left from an old render");
    writeBuildContext(dir, context);
    expect(() => statSync(join(dir, "stale.txt"))).toThrow();
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe(context.files[0]?.content);
  });

  it("refuses a non-empty directory torchstack did not write", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-ctx-"));
    writeFileSync(join(dir, "precious.txt"), "mine");
    expect(() => writeBuildContext(dir, context)).toThrow(/not written by torchstack/);
    expect(readFileSync(join(dir, "precious.txt"), "utf8")).toBe("mine");
  });

  it("refuses paths that escape the context", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ts-ctx-")), "ctx");
    expect(() => writeBuildContext(dir, { files: [{ path: "../evil", content: "", mode: 0o644 }] })).toThrow(
      /escapes/,
    );
  });
});

describe("torchstack render / lock (CLI)", () => {
  function workdir(): string {
    const dir = mkdtempSync(join(tmpdir(), "ts-cli-"));
    writeFileSync(join(dir, "torchstack.yaml"), readFileSync(join(fixtures, "cpu-distro.yaml")));
    return dir;
  }

  it("renders from the spec with --json", async () => {
    const cwd = workdir();
    const run = await runCliInMemory(["render", "-o", "ctx", "--no-syntax", "--json"], { cwd });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { ok: boolean; dir: string; files: string[] };
    expect(out.ok).toBe(true);
    expect(out.dir).toBe(join(cwd, "ctx"));
    expect(out.files).toContain("Dockerfile");
    expect(readFileSync(join(cwd, "ctx/Dockerfile"), "utf8")).not.toContain("# syntax=");
  });

  it("renders no `# syntax=` line by default, as `build` does; --syntax adds it", async () => {
    const cwd = workdir();
    expect((await runCliInMemory(["render", "-o", "plain"], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, "plain/Dockerfile"), "utf8")).not.toContain("# syntax=");
    expect((await runCliInMemory(["render", "-o", "with", "--syntax"], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, "with/Dockerfile"), "utf8").split("\n")[0]).toBe(
      "# syntax=docker/dockerfile:1",
    );
  });

  it("locks, checks, detects a stale lock, and renders from the lock", async () => {
    const cwd = workdir();
    const locked = await runCliInMemory(["lock", "--json"], { cwd });
    expect(locked.code).toBe(0);
    expect(JSON.parse(locked.stdout)).toMatchObject({ ok: true, lock: join(cwd, "torchstack.lock") });
    expect(JSON.parse((await runCliInMemory(["lock", "--check", "--json"], { cwd })).stdout)).toMatchObject({
      ok: true,
      upToDate: true,
    });
    const fromLock = await runCliInMemory(["render", "-o", "ctx", "--lock", "--no-syntax"], { cwd });
    expect(fromLock.code).toBe(0);
    writeFileSync(
      join(cwd, "torchstack.yaml"),
      `${readFileSync(join(cwd, "torchstack.yaml"), "utf8")}  pip: [rich]\n`,
    );
    const stale = await runCliInMemory(["lock", "--check", "--json"], { cwd });
    expect(stale.code).toBe(1);
    const error = JSON.parse(stale.stdout) as {
      ok: boolean;
      error: { code: string; message: string; remedies: string[] };
    };
    expect(error.error.code).toBe("E_LOCK_STALE");
    expect(error.error.message).toContain("pins.pip: [] → [rich]");
    expect(error.error.remedies[0]).toContain("torchstack lock");
  });

  it("says how to start when there is no spec", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-cli-"));
    const run = await runCliInMemory(["render", "-o", "ctx", "--json"], { cwd });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe("E_NO_SPEC");
    const usage = await runCliInMemory(["render"], { cwd });
    expect(usage.code).toBe(2);
  });

  it("refuses --lock when there is no lock yet", async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, "ctx"));
    const run = await runCliInMemory(["render", "-o", "ctx", "--lock", "--json"], { cwd });
    expect(JSON.parse(run.stdout).error.code).toBe("E_NO_LOCK");
  });
});
