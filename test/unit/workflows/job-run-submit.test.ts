/**
 * A refused submission leaves no phantom job: the record says FAILED
 * (SubmitFailed, in the scheduler's words); cancelling a record that never got
 * a scheduler id ends at once; an old record stuck "submitting" reads FAILED.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TorchstackError } from "../../../src/errors/torchstack-error.js";
import type { BackendContext } from "../../../src/job/run/job-backend.js";
import { type JobRecord, listJobRecords, writeJobRecord } from "../../../src/job/run/job-record.js";
import type { ProcessResult, ProcessRunner } from "../../../src/process/run-process.js";
import { runJob } from "../../../src/workflows/job-run.js";
import { cancelJob, jobStatus } from "../../../src/workflows/job-run-manage.js";
import { inputFor, SMALL_JOB } from "../job/render/job-fixtures.test-support.js";

const root = mkdtempSync(join(tmpdir(), "torchstack-job-submit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function context(answer: Partial<ProcessResult>): BackendContext & { calls: string[][] } {
  const calls: string[][] = [];
  const run: ProcessRunner = async (file, args) => {
    calls.push([file, ...args]);
    return {
      command: [file, ...args],
      exitCode: 1,
      signal: null,
      stdout: "",
      stderr: "",
      timedOut: false,
      ...answer,
    };
  };
  const env = {
    TORCHSTACK_STATE_DIR: mkdtempSync(join(root, "state-")),
    TORCHSTACK_SLURM_BIN: "/opt/slurm/bin",
  };
  return { env, run, progress: () => {}, calls };
}

const phantom = (overrides: Partial<JobRecord>): JobRecord => ({
  id: "train-20261205-082910-de75",
  name: "train",
  target: "slurm",
  schedulerId: null,
  state: "PENDING",
  reason: "submitting",
  stuck: false,
  exitCode: null,
  image: "train:lock-1",
  nodes: 2,
  procsPerNode: 2,
  outputFile: join(root, "output.log"),
  rankLogDir: "",
  files: ["train.sbatch"],
  cancelRequested: false,
  createdAt: new Date().toISOString(),
  finishedAt: null,
  ...overrides,
});

describe("a failed submission", () => {
  it("sbatch refuses: the error keeps the scheduler's words and the record is FAILED (SubmitFailed)", async () => {
    const ctx = context({ stderr: "sbatch: error: fatal: Could not establish a configuration source\n" });
    const input = inputFor(SMALL_JOB, { target: "slurm", workspace: root });
    const failed = runJob(input, ctx, {
      wait: true,
      follow: false,
      checkCommand: "torchstack job check --target slurm -f /p/mn.yaml",
    });
    await expect(failed).rejects.toMatchObject({ code: "E_JOB_SUBMIT_FAILED" });
    const error = (await failed.then(
      () => {
        throw new Error("runJob should have failed");
      },
      (e: unknown) => e,
    )) as TorchstackError;
    expect(error.message).toContain("Could not establish a configuration source");
    expect(error.remedies[0]).toContain("torchstack job check --target slurm -f /p/mn.yaml");
    const records = listJobRecords(ctx.env);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ state: "FAILED", schedulerId: null });
    expect(records[0]?.reason).toMatch(/^SubmitFailed: sbatch refused the job: fatal: Could not establish/);
    expect(records[0]?.finishedAt).not.toBeNull();
    expect(error.remedies.at(-1)).toContain(`job ${records[0]?.id} is recorded FAILED (SubmitFailed)`);
  });

  it("job cancel of a record without a scheduler id ends at once, asking no scheduler", async () => {
    const ctx = context({});
    writeJobRecord(ctx.env, phantom({}));
    const started = Date.now();
    const record = await cancelJob("train-20261205-082910-de75", ctx);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(record).toMatchObject({ state: "CANCELLED", cancelRequested: true });
    expect(record.reason).toContain("no scheduler id");
    expect(ctx.calls).toEqual([]);
  });

  it("an old record stuck 'submitting' (no scheduler id after the submit timeout) reads FAILED", async () => {
    const ctx = context({});
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    writeJobRecord(ctx.env, phantom({ createdAt: old }));
    const record = await jobStatus("train-20261205-082910-de75", ctx);
    expect(record.state).toBe("FAILED");
    expect(record.reason).toMatch(/^SubmitFailed: /);
    expect(ctx.calls).toEqual([]);
  });
});
