import { describe, expect, it } from "vitest";
import { summarizeJob } from "../../src/monitor/jobs/job-summary.js";
import { parseRecordedJobs } from "../../src/monitor/jobs/jobs-source.js";
import { jobFromEnviron, ProcessJobIndex } from "../../src/monitor/jobs/process-jobs.js";
import { fixtureEnviron, fixtureJobs } from "./monitor-jobs-fixture.js";

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
  it("reads the job and rank from torchrun's environment; TORCHSTACK_JOB_ID wins", () => {
    expect(jobFromEnviron("A=1\0TORCHELASTIC_RUN_ID=job-1\0RANK=3\0")).toEqual({ job: "job-1", rank: 3 });
    expect(jobFromEnviron("TORCHELASTIC_RUN_ID=a\0TORCHSTACK_JOB_ID=b")).toEqual({ job: "b", rank: null });
    expect(jobFromEnviron("RANK=0\0HOME=/x")).toBeNull();
  });

  it("reads each PID's environment once and forgets PIDs that are gone", async () => {
    const reads: number[] = [];
    const environ = fixtureEnviron();
    const index = new ProcessJobIndex(async (pid) => {
      reads.push(pid);
      return environ(pid);
    });
    const first = await index.lookup([41234, 41235, 52001]);
    expect(first.get(41234)).toEqual({ job: "finetune-local-21", rank: 0 });
    expect(first.get(52001)).toBeNull();
    await index.lookup([41234, 41235, 52001]);
    expect(reads).toEqual([41234, 41235, 52001]);
    await index.lookup([41234]);
    await index.lookup([41234, 41235]);
    expect(reads).toEqual([41234, 41235, 52001, 41235]);
  });
});
