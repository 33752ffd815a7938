import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type JobRecord,
  listJobRecords,
  newJobId,
  readJobRecord,
  writeJobRecord,
} from "../../../../src/job/run/job-record.js";

const record = (id: string, createdAt: string): JobRecord => ({
  id,
  name: "train",
  target: "slurm",
  schedulerId: "7",
  state: "PENDING",
  reason: "Resources",
  stuck: false,
  exitCode: null,
  image: "train:lock-1",
  nodes: 2,
  procsPerNode: 2,
  outputFile: "/x/output.log",
  rankLogDir: "/x/ranks",
  files: ["train.sbatch"],
  cancelRequested: false,
  createdAt,
  finishedAt: null,
});

describe("job records", () => {
  it("round-trips through the state folder and lists newest first, skipping unreadable folders", () => {
    const env = { TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-jobs-")) };
    writeJobRecord(env, record("train-a", "2026-12-01T08:00:00.000Z"));
    writeJobRecord(env, record("train-b", "2026-12-01T09:00:00.000Z"));
    mkdirSync(join(env.TORCHSTACK_STATE_DIR, "jobs", "broken"));
    writeFileSync(join(env.TORCHSTACK_STATE_DIR, "jobs", "broken", "record.json"), "{");
    expect(readJobRecord(env, "train-a")).toEqual(record("train-a", "2026-12-01T08:00:00.000Z"));
    expect(listJobRecords(env).map((r) => r.id)).toEqual(["train-b", "train-a"]);
    expect(() => readJobRecord(env, "broken")).toThrow(
      expect.objectContaining({ code: "E_JOB_RECORD_CORRUPT" }),
    );
    expect(() => readJobRecord(env, "nope")).toThrow(expect.objectContaining({ code: "E_JOB_NOT_FOUND" }));
    expect(() => readJobRecord(env, "../etc")).toThrow(expect.objectContaining({ code: "E_JOB_NOT_FOUND" }));
  });

  it("makes sortable ids that are safe as file and container names", () => {
    expect(newJobId("My Job!", new Date("2026-12-01T08:15:00Z"))).toMatch(
      /^my-job-20261201-081500-[0-9a-f]{4}$/,
    );
  });
});
