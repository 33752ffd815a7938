import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readJobRecord, writeJobRecord } from "../../../../src/job/run/job-record.js";
import { summarizeJob } from "../../../../src/monitor/jobs/job-summary.js";
import { parseRecordedJobs } from "../../../../src/monitor/jobs/jobs-source.js";
import { jobFromEnviron, matchJob, ProcessJobIndex } from "../../../../src/monitor/jobs/process-jobs.js";
import { recordedJobsSource } from "../../../../src/monitor/jobs/recorded-jobs-source.js";
import { fixtureEnviron, fixtureJobs } from "./jobs-fixture.js";

describe("job summaries for the jobs panel", () => {
  it("reads the recorded job status / diagnose fixture: the failed job's root cause and its finding", async () => {
    const jobs = await fixtureJobs().list();
    expect(jobs.map((j) => [j.id, j.target, j.state])).toEqual([
      ["llm-pretrain-7f3a", "slurm", "FAILED"],
      ["finetune-local-21", "local", "RUNNING"],
      ["eval-sweep-3", "kubernetes", "PENDING"],
    ]);
    const failed = jobs[0];
    expect(failed?.rootCause).toMatchObject({ rank: 2, node: "gpu-a02", exitCode: -9 });
    expect(failed?.finding?.code).toBe("E_PROCESS_KILLED"); // the finding for the root-cause rank, not the first listed
    expect(failed?.ranks.map((r) => `${r.rank}@${r.node}`)).toEqual([
      "0@gpu-a01",
      "1@gpu-a01",
      "2@gpu-a02",
      "3@gpu-a02",
    ]);
    expect(jobs[2]?.reason).toContain("Insufficient nvidia.com/gpu");
  });

  it("falls back to the first finding, accepts remedies as fixes, and ignores documents it cannot read", () => {
    const job = summarizeJob(
      { id: "j", target: "local", state: "FAILED" },
      { rootCause: null, findings: [{ code: "E_X", message: "m", remedies: ["do y"] }] },
    );
    expect(job.finding).toEqual({ code: "E_X", message: "m", fix: ["do y"] });
    expect(job.ranks).toEqual([]);
    expect(parseRecordedJobs({ jobs: [{ status: { id: "x", state: "WEIRD" } }] })).toEqual([]);
    expect(parseRecordedJobs("junk")).toEqual([]);
  });
});

describe("processes to job ranks", () => {
  it("reads the job keys and rank from the environment and matches them to a job's id or scheduler id", () => {
    expect(jobFromEnviron("A=1\0TORCHELASTIC_RUN_ID=job-1\0RANK=3\0")).toEqual({ keys: ["job-1"], rank: 3 });
    const slurm = jobFromEnviron("TORCHELASTIC_RUN_ID=none\0SLURM_JOB_ID=4821\0TORCHSTACK_JOB_ID=b");
    expect(slurm).toEqual({ keys: ["b", "4821"], rank: null });
    expect(jobFromEnviron("RANK=0\0HOME=/x")).toBeNull();
    const jobs = [
      { id: "a", schedulerId: "4821" },
      { id: "job-1", schedulerId: null },
    ];
    expect(slurm ? matchJob(slurm, jobs) : null).toBe("a"); // "b" is no known job; the Slurm id is
    expect(matchJob({ keys: ["job-1"], rank: 0 }, jobs)).toBe("job-1");
    expect(matchJob({ keys: ["other"], rank: 0 }, jobs)).toBeNull();
  });

  it("reads each PID's environment once and forgets PIDs that are gone", async () => {
    const reads: number[] = [];
    const environ = fixtureEnviron();
    const index = new ProcessJobIndex(async (pid) => {
      reads.push(pid);
      return environ(pid);
    });
    const first = await index.lookup([41234, 41235, 52001]);
    expect(first.get(41234)).toEqual({ keys: ["finetune-local-21"], rank: 0 });
    expect(first.get(52001)).toBeNull();
    await index.lookup([41234, 41235, 52001]);
    expect(reads).toEqual([41234, 41235, 52001]);
    await index.lookup([41234]);
    await index.lookup([41234, 41235]);
    expect(reads).toEqual([41234, 41235, 52001, 41235]);
  });
});

describe("the jobs panel over the job capability's records", () => {
  it("summarises recorded jobs: ranks per node, a failed job diagnosed from its output once, refresh for unfinished ones", async () => {
    const env = { TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-jobs-")) };
    // the job capability's own recording of a failed 2 × 2 Slurm job (rank 3 raised)
    const recorded = join(
      import.meta.dirname,
      "..",
      "..",
      "..",
      "fixtures",
      "jobs-run",
      "slurm-rank3-failure",
    );
    const base = {
      schedulerId: null,
      reason: null,
      stuck: false,
      exitCode: null,
      image: "img",
      outputFile: join(recorded, "output.log"),
      rankLogDir: join(recorded, "ranks"),
      files: [],
      cancelRequested: false,
      finishedAt: null,
    };
    writeJobRecord(env, {
      ...base,
      id: "train-20261201-080000-aaaa",
      name: "train",
      target: "slurm",
      schedulerId: "77",
      state: "FAILED",
      exitCode: 1,
      nodes: 2,
      procsPerNode: 2,
      createdAt: "2026-12-01T08:00:00Z",
    });
    writeJobRecord(env, {
      ...base,
      id: "eval-20261201-090000-bbbb",
      name: "eval",
      target: "local",
      state: "RUNNING",
      nodes: 1,
      procsPerNode: 1,
      createdAt: "2026-12-01T09:00:00Z",
    });
    const refreshed: string[] = [];
    const source = recordedJobsSource({
      env,
      refresh: async (id) => {
        refreshed.push(id);
        return { ...readJobRecord(env, id), state: "COMPLETED" };
      },
    });
    const jobs = await source.list();
    expect(jobs.map((j) => [j.name, j.state])).toEqual([
      ["eval", "COMPLETED"],
      ["train", "FAILED"],
    ]);
    expect(refreshed).toEqual(["eval-20261201-090000-bbbb"]);
    const failed = jobs[1];
    // node 1's name comes from the diagnosis (rank 3 ran on ts-slurm-n2); node 0's is not in it
    expect(failed?.ranks.map((r) => `${r.rank}@${r.node}`)).toEqual([
      "0@node 0",
      "1@node 0",
      "2@ts-slurm-n2",
      "3@ts-slurm-n2",
    ]);
    expect(failed?.schedulerId).toBe("77");
    expect(failed?.rootCause).toMatchObject({ rank: 3, node: "ts-slurm-n2", exitCode: 1 });
    expect(failed?.finding?.code).toBe("E_JOB_RANK_FAILED");
    await source.list();
    expect(refreshed).toHaveLength(1); // refreshed at most every 15 s
  });
});
