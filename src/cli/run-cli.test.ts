import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCliInMemory } from "../../test/support/run-cli-in-memory.js";
import { commandEntries } from "./registry.js";
import { VERSION } from "./version.js";

describe("torchstack CLI", () => {
  it("lists every command in --help", async () => {
    const run = await runCliInMemory(["--help"]);
    expect(run.code).toBe(0);
    for (const entry of commandEntries) expect(run.stdout).toContain(entry.name);
  });

  it("gives every command its own --help", async () => {
    for (const entry of commandEntries) {
      const run = await runCliInMemory([entry.name, "--help"]);
      expect(run.code, entry.name).toBe(0);
      expect(run.stdout).toContain(`Usage: torchstack ${entry.name}`);
    }
  });

  it("answers an unknown command with exit 2 and one line", async () => {
    const run = await runCliInMemory(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("unknown command");
  });

  it("answers an unknown flag with exit 2, one line, no stack trace", async () => {
    const run = await runCliInMemory(["resolve", "--no-such-flag"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\bat \S+:\d+/);
  });

  it("leaves --help and --json after `--` to the user's command", async () => {
    const env = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };
    const run = await runCliInMemory(["exec", "nobody", "--", "python3", "--help", "--json"], { env });
    expect(run.stdout).not.toContain("Usage: torchstack exec");
    expect(run.stdout).toBe("");
    expect(run.code).toBe(1);
  });

  it("says plainly that a flag needs a value", async () => {
    const run = await runCliInMemory(["resolve", "--torch", "--no-host"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--torch needs a value; a value that starts with "-" must be written --torch=VALUE',
    );
    expect(run.stderr).not.toContain("..");
  });

  it("keeps VERSION in step with package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
