/**
 * `init --preset … --base image:…` writes a spec that builds on that base with the
 * base's own Python (the local Debian 13 base: 3.13), and the spec locks offline.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

describe("init --base", () => {
  it("writes the preset on the local Debian 13 base with its Python 3.13", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-base-"));
    const run = await runCliInMemory(
      ["init", "--preset", "pytorch-2.9", "--base", "image:torchstack-local/debian:13", "--no-host"],
      { cwd },
    );
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(join(cwd, "torchstack.yaml"), "utf8");
    expect(text).toMatch(/^base: image:torchstack-local\/debian:13$/m);
    expect(text).toMatch(/^python: "?3\.13"?$/m);
    const locked = await runCliInMemory(["lock", "--offline", "--no-host", "--json"], { cwd });
    expect(locked.code, locked.stderr).toBe(0);
    expect(JSON.parse(locked.stdout)).toMatchObject({ stack: { python: "3.13" }, wheels: { hashed: false } });
  });

  it("a wheel stack whose Python the base lacks is a lock-time error with the fix", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-base-"));
    writeFileSync(
      join(cwd, "torchstack.yaml"),
      'name: x\nbase: image:torchstack-local/debian:13\ntorch: "2.9.1"\ncuda: "12.8"\npython: "3.12"\n',
    );
    const run = await runCliInMemory(["lock", "--offline", "--no-host", "--json"], { cwd });
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error as { code: string; message: string; remedies: string[] };
    expect(error.code).toBe("E_BASE_PYTHON");
    expect(error.message).toContain("whose Python is 3.13");
    expect(error.remedies[0]).toBe('set python: "3.13" in torchstack.yaml (the base\'s own Python)');
  });

  it("refuses a base that is not one", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-base-"));
    const run = await runCliInMemory(["init", "--base", "debian-99", "--no-host"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not a base");
  });
});
