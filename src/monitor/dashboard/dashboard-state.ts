/**
 * What the dashboard's live updates share: the latest doctor result (its host
 * hints join every tick), the jobs last known (a tick names each process's job),
 * and the jobs payload last sent (a refresh sends the jobs only when they
 * changed). The sample subscription reads it, the refresh timer and each new
 * event stream update it, each through one method.
 */
import type { JobSummary } from "../jobs/job-summary.js";
import type { ProcessJobIndex } from "../jobs/process-jobs.js";
import type { TickContext } from "./dashboard-data.js";
import type { DoctorView, JobsPayload, StatePayload } from "./dashboard-payload.js";

export class DashboardState {
  private jobs: readonly JobSummary[] = [];
  private lastJobsSent = "";

  constructor(private doctor: DoctorView | null) {}

  /** What a sample is read against: the latest doctor result and the jobs last known. */
  tickContext(processJobs: ProcessJobIndex): TickContext {
    return { processJobs, doctor: this.doctor, jobs: this.jobs };
  }

  /** A refresh read the jobs and the doctor result; true when the jobs differ from the last ones sent. */
  refreshed(payload: JobsPayload, doctor: DoctorView | null): boolean {
    this.doctor = doctor;
    this.jobs = payload.jobs;
    const text = JSON.stringify(payload);
    const changed = text !== this.lastJobsSent;
    this.lastJobsSent = text;
    return changed;
  }

  /** A stream opened with `state`: its jobs are the baseline when none were sent or known yet. */
  streamOpened(state: StatePayload): void {
    this.lastJobsSent ||= JSON.stringify({ jobs: state.jobs, source: state.source });
    if (this.jobs.length === 0) this.jobs = state.jobs;
  }
}
