/**
 * The five states every target's job is reported in, whatever the scheduler
 * calls them: PENDING (with the scheduler's reason), RUNNING, and the final
 * COMPLETED, FAILED, CANCELLED. `stuck` marks a PENDING reason that will never
 * clear by waiting (a bad constraint, a held job, a missing image), so a broken
 * job does not look like a queue.
 */
import { z } from "zod";

export const jobStateSchema = z.enum(["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]);
export type JobState = z.infer<typeof jobStateSchema>;

export const FINAL_STATES: readonly JobState[] = ["COMPLETED", "FAILED", "CANCELLED"];

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.includes(state);
}

/** What a backend learns when it asks the scheduler about one job. */
export interface JobStatusReport {
  state: JobState;
  /** The scheduler's reason: why PENDING, why FAILED (NonZeroExitCode, NODE_FAIL, ImagePullBackOff …). */
  reason: string | null;
  /** True when the reason will not clear by waiting (PENDING that will never start). */
  stuck: boolean;
  exitCode: number | null;
}
