/** The job follow-up commands' bad input and missing jobs: clear errors, the usual exit codes, nothing spawned. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const env = { TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-job-cli-")), PATH: "/nonexistent" };
const cli = (args: string[]) => runCliInMemory(args, { env, cwd: env.TORCHSTACK_STATE_DIR });

describe("job commands on bad input", () => {
  it.each([
    [["job", "run"], 2, "--target is required"],
    [["job", "run", "--target", "cloud"], 2, "--target must be local, slurm or kubernetes"],
    [["job", "status"], 2, "missing argument ID"],
    [["job", "logs", "x", "--rank", "one"], 2, "--rank must be a whole number"],
    [["job", "status", "no-such-job"], 1, "E_JOB_NOT_FOUND"],
    [["job", "cancel", "no-such-job"], 1, "E_JOB_NOT_FOUND"],
    [["job", "diagnose", "no-such-job"], 1, "E_JOB_NOT_FOUND"],
  ])("%j → exit %i", async (args, code, message) => {
    const result = await cli(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });

  it("job list with no jobs prints an empty list", async () => {
    const result = await cli(["job", "list", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, jobs: [] });
  });

  it("job diagnose of an empty folder says what it needs", async () => {
    const result = await cli(["job", "diagnose", mkdtempSync(join(tmpdir(), "ts-empty-")), "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe("E_JOB_NO_LOGS");
  });
});
