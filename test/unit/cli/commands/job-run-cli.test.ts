/** The job follow-up commands: bad input and missing jobs (clear errors, the usual exit codes, nothing spawned), and a recorded job's logs and diagnosis. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type JobRecord, writeJobRecord } from "../../../../src/job/run/job-record.js";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

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

  describe("a recorded 2 × 2 job", () => {
    const id = "train-20261205-090000-ab12";
    const own = {
      TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-job-recorded-")),
      PATH: "/nonexistent",
    };
    const cli = (args: string[]) => runCliInMemory(args, { env: own, cwd: own.TORCHSTACK_STATE_DIR });
    const outputFile = join(own.TORCHSTACK_STATE_DIR, "output.log");
    const record: JobRecord = {
      id,
      name: "train",
      target: "slurm",
      schedulerId: "7",
      state: "FAILED",
      reason: "NonZeroExitCode",
      stuck: false,
      exitCode: 1,
      image: "train:lock-1",
      nodes: 2,
      procsPerNode: 2,
      outputFile,
      rankLogDir: "",
      files: [],
      cancelRequested: false,
      createdAt: "2026-12-05T09:00:00.000Z",
      finishedAt: "2026-12-05T09:01:00.000Z",
    };
    writeFileSync(
      outputFile,
      [
        "1: [default1]:[rank3]: Traceback (most recent call last):",
        '1: [default1]:[rank3]:   File "train.py", line 18, in <module>',
        "1: [default1]:[rank3]: RuntimeError: injected failure on rank 3",
        "srun: error: ts-slurm-n2: task 1: Exited with exit code 1",
        "",
      ].join("\n"),
    );
    writeJobRecord(own, record);

    it("job logs shows torch's own [rankN]: prefix once, as [rank N]", async () => {
      const result = await cli(["job", "logs", id]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("[rank 3] RuntimeError: injected failure on rank 3");
      expect(result.stdout).not.toContain("[rank3]:");
    });

    it("job logs --rank N for a rank the job does not have is an error naming its ranks", async () => {
      const result = await cli(["job", "logs", id, "--rank", "5"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`job ${id} has no rank 5: its ranks are 0-3 (2 node(s) × 2)`);
      expect(result.stdout).toBe("");
    });

    it("job diagnose's fix names the real job id, never a literal ID", async () => {
      const result = await cli(["job", "diagnose", id, "--json"]);
      expect(result.code, result.stderr).toBe(0);
      const diagnosis = JSON.parse(result.stdout);
      expect(diagnosis.rootCause).toMatchObject({
        rank: 3,
        evidence: "RuntimeError: injected failure on rank 3",
      });
      expect(diagnosis.findings[0].fix).toEqual([`torchstack job logs ${id} --rank 3`]);
      expect(result.stdout).not.toMatch(/job logs ID\b/);
    });
  });
});
