import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { commandEntries } from "../../../src/cli/registry.js";
import { runCli } from "../../../src/cli/run-cli.js";
import { VERSION } from "../../../src/cli/version.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

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

  it.each([
    [["reslove"], "Did you mean `torchstack resolve`?"],
    [["job", "rnder"], "Did you mean `torchstack job render`?"],
    [["init", "--presets", "cpu"], "Unknown option '--presets'; did you mean --preset?"],
  ])("says what was meant for a typo: %j", async (argv, hint) => {
    const run = await runCliInMemory(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(hint);
  });

  it("tells exec without -- to put the command after --", async () => {
    const env = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };
    for (const argv of [
      ["exec", "cpu-example", "python3", "-c", "print(1)"],
      ["exec", "cpu-example", "nvidia-smi"],
    ]) {
      const run = await runCliInMemory(argv, { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("put the command to run after --: torchstack exec NAME -- CMD");
    }
  });

  it("Ctrl-C during a probe exits 130 with E_INTERRUPTED, not a probe failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-interrupt-"));
    const slowPython = join(dir, "python3");
    writeFileSync(slowPython, "#!/bin/sh\nexec sleep 30\n");
    chmodSync(slowPython, 0o755);
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (c: Buffer) => chunks.push(c));
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGINT"), 300);
    const code = await runCli({
      argv: ["verify", "--python", slowPython, "--json"],
      cwd: dir,
      env: { PATH: process.env.PATH, TORCHSTACK_STATE_DIR: join(dir, "state") },
      stdout,
      stderr: new PassThrough(),
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(JSON.parse(Buffer.concat(chunks).toString("utf8"))).toMatchObject({
      ok: false,
      error: { code: "E_INTERRUPTED" },
    });
  });

  it("a fix written for any command names the one that was run (no literal <command>)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-no-spec-"));
    const run = await runCliInMemory(["lock", "--json"], { cwd });
    const remedies = (JSON.parse(run.stdout) as { error: { code: string; remedies: string[] } }).error;
    expect(remedies.code).toBe("E_NO_SPEC");
    expect(remedies.remedies).toContain("torchstack lock -f path/to/torchstack.yaml");
    expect(run.stderr).not.toContain("<command>");
  });

  it("keeps VERSION in step with package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
