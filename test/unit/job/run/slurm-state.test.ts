import { describe, expect, it } from "vitest";
import { parseScontrolJob, parseSqueueJson, parseSqueueLine } from "../../../../src/job/run/slurm-state.js";

// Shapes as Slurm 22.05.8 printed them on the test cluster (squeue --json trimmed to the fields read).
const squeue = (job: Record<string, unknown>) =>
  JSON.stringify({ meta: {}, errors: [], jobs: [{ job_id: 9, ...job }] });

describe("Slurm answers to job states", () => {
  it("maps a finished job's wait status to its exit code", () => {
    expect(
      parseSqueueJson(squeue({ job_state: "FAILED", state_reason: "NonZeroExitCode", exit_code: 256 }), "9"),
    ).toEqual({
      state: "FAILED",
      reason: "NonZeroExitCode",
      stuck: false,
      exitCode: 1,
    });
    expect(
      parseSqueueJson(squeue({ job_state: "COMPLETED", state_reason: "None", exit_code: 0 }), "9")?.state,
    ).toBe("COMPLETED");
  });

  it("keeps the reason of a PENDING job and marks one that will never start", () => {
    expect(parseSqueueJson(squeue({ job_state: "PENDING", state_reason: "Resources" }), "9")).toMatchObject({
      state: "PENDING",
      reason: "Resources",
      stuck: false,
    });
    expect(
      parseSqueueJson(squeue({ job_state: "PENDING", state_reason: "BadConstraints" }), "9"),
    ).toMatchObject({ state: "PENDING", stuck: true });
  });

  it("reads Slurm 23+ shapes (state lists, exit code objects) and node failures", () => {
    const report = parseSqueueJson(
      squeue({
        job_state: ["NODE_FAIL"],
        exit_code: { status: ["SIGNALED"], return_code: { number: 0 }, signal: { signal_id: { number: 9 } } },
      }),
      "9",
    );
    expect(report).toEqual({ state: "FAILED", reason: "NODE_FAIL", stuck: false, exitCode: 137 });
    expect(parseSqueueJson(squeue({ job_state: "RUNNING" }), "10")).toBeNull();
  });

  it("reads scontrol show job -o", () => {
    expect(
      parseScontrolJob("JobId=3 JobName=x JobState=CANCELLED Reason=None Dependency=(null) ExitCode=0:15"),
    ).toEqual({
      state: "CANCELLED",
      reason: null,
      stuck: false,
      exitCode: 143,
    });
  });

  it("reads squeue's plain one-job line", () => {
    expect(parseSqueueLine("PENDING|Resources\n")).toEqual({
      state: "PENDING",
      reason: "Resources",
      stuck: false,
      exitCode: null,
    });
    expect(parseSqueueLine("")).toBeNull();
  });
});
