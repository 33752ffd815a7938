// The state the dashboard's live updates share: a refresh says whether the jobs changed since the
// last ones sent, a new stream sets the baseline only when there is none, and ticks read the latest.
import { describe, expect, it } from "vitest";
import type { StatePayload } from "../../../../src/monitor/dashboard/dashboard-payload.js";
import { DashboardState } from "../../../../src/monitor/dashboard/dashboard-state.js";
import type { JobSummary } from "../../../../src/monitor/jobs/job-summary.js";
import { ProcessJobIndex } from "../../../../src/monitor/jobs/process-jobs.js";

const job = (id: string) => ({ id }) as unknown as JobSummary;
const doctor = { time: "2026-12-05T10:00:00Z", findings: [] };

describe("DashboardState", () => {
  it("sends jobs on a refresh only when they differ from the last ones sent", () => {
    const state = new DashboardState(null);
    const payload = { jobs: [job("a")], source: "local" };
    expect(state.refreshed(payload, null)).toBe(true);
    expect(state.refreshed({ jobs: [job("a")], source: "local" }, null)).toBe(false);
    expect(state.refreshed({ jobs: [job("a"), job("b")], source: "local" }, null)).toBe(true);
  });

  it("takes a new stream's jobs as the baseline only when none were sent or known", () => {
    const processJobs = new ProcessJobIndex(async () => null);
    const state = new DashboardState(null);
    state.streamOpened({ jobs: [job("a")], source: "local" } as StatePayload);
    expect(state.tickContext(processJobs).jobs).toEqual([job("a")]);
    // the state a page got on connect is what was sent: the same jobs on a refresh are not sent again
    expect(state.refreshed({ jobs: [job("a")], source: "local" }, null)).toBe(false);
    state.streamOpened({ jobs: [job("z")], source: "local" } as StatePayload);
    expect(state.tickContext(processJobs).jobs).toEqual([job("a")]);
  });

  it("ticks read the doctor result the last refresh found", () => {
    const processJobs = new ProcessJobIndex(async () => null);
    const state = new DashboardState(null);
    expect(state.tickContext(processJobs).doctor).toBeNull();
    state.refreshed({ jobs: [], source: "none" }, doctor);
    expect(state.tickContext(processJobs)).toMatchObject({ doctor, jobs: [] });
  });
});
