/**
 * Reads Slurm's answers (pure): `squeue --json` (Slurm 22.05 through 24.x
 * shapes: `job_state` as a string or a list, `exit_code` as a wait status or an
 * object) and `scontrol show job -o`, into the five job states with the
 * scheduler's reason. PENDING reasons that waiting never clears (bad
 * constraints, held jobs, invalid account or QOS) are marked stuck.
 */
import { z } from "zod";
import type { JobState, JobStatusReport } from "./job-state.js";

const exitCodeSchema = z.union([
  z.number(),
  z
    .object({
      return_code: z.union([z.number(), z.object({ number: z.number() }).passthrough()]).optional(),
      signal: z
        .object({ signal_id: z.union([z.number(), z.object({ number: z.number() })]).optional() })
        .passthrough()
        .optional(),
    })
    .passthrough(),
]);

const squeueJobSchema = z
  .object({
    job_id: z.number(),
    job_state: z.union([z.string(), z.array(z.string())]),
    state_reason: z.string().optional(),
    exit_code: exitCodeSchema.optional(),
  })
  .passthrough();

export const squeueSchema = z.object({ jobs: z.array(squeueJobSchema) }).passthrough();

/** Reasons that mean the job will never start as submitted. */
const STUCK_REASONS = [
  "BadConstraints",
  "PartitionNodeLimit",
  "PartitionTimeLimit",
  "PartitionConfig",
  "PartitionDown",
  "PartitionInactive",
  "InvalidAccount",
  "InvalidQOS",
  "JobHeldAdmin",
  "JobHeldUser",
  "DependencyNeverSatisfied",
  "ReqNodeNotAvail",
  "QOSMaxGRESPerJob",
  "AssocMaxGRESPerJob",
];

function mapState(raw: string): JobState {
  const state = raw.toUpperCase();
  if (state === "PENDING" || state === "REQUEUED" || state === "SUSPENDED" || state === "REQUEUE_HOLD")
    return "PENDING";
  if (["RUNNING", "CONFIGURING", "COMPLETING", "STAGE_OUT", "RESIZING", "SIGNALING"].includes(state))
    return "RUNNING";
  if (state === "COMPLETED") return "COMPLETED";
  if (state === "CANCELLED") return "CANCELLED";
  return "FAILED"; // FAILED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED
}

function exitOf(code: z.infer<typeof exitCodeSchema> | undefined): number | null {
  if (code === undefined) return null;
  if (typeof code === "number") {
    const signal = code & 0x7f;
    return signal ? 128 + signal : code >> 8;
  }
  const rc = code.return_code;
  const value = typeof rc === "number" ? rc : rc?.number;
  const sig = code.signal?.signal_id;
  const signal = typeof sig === "number" ? sig : sig?.number;
  if (signal) return 128 + signal;
  return value ?? null;
}

export function reportFromSlurm(
  stateWord: string,
  reason: string | null,
  exitCode: number | null,
): JobStatusReport {
  const state = mapState(stateWord);
  const why = reason && reason !== "None" ? reason : null;
  const stuck = state === "PENDING" && why !== null && STUCK_REASONS.some((r) => why.startsWith(r));
  const finalReason = state === "FAILED" && why === null && stateWord !== "FAILED" ? stateWord : why;
  return {
    state,
    reason: finalReason,
    stuck,
    exitCode: state === "PENDING" || state === "RUNNING" ? null : exitCode,
  };
}

/** The job's report from `squeue --json` output, or null when the controller does not list it. */
export function parseSqueueJson(text: string, jobId: string): JobStatusReport | null {
  const parsed = squeueSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`squeue --json printed an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const job = parsed.data.jobs.find((j) => String(j.job_id) === jobId);
  if (!job) return null;
  const stateWord = Array.isArray(job.job_state) ? (job.job_state[0] ?? "FAILED") : job.job_state;
  return reportFromSlurm(stateWord, job.state_reason ?? null, exitOf(job.exit_code));
}

/** `scontrol show job -o ID`: `JobState=FAILED Reason=NonZeroExitCode … ExitCode=1:0`. */
export function parseScontrolJob(text: string): JobStatusReport | null {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(text)?.[1] ?? null;
  const state = field("JobState");
  if (!state) return null;
  const exit = field("ExitCode");
  let exitCode: number | null = null;
  if (exit) {
    const [code = "0", signal = "0"] = exit.split(":");
    exitCode = Number(signal) > 0 ? 128 + Number(signal) : Number(code);
  }
  return reportFromSlurm(state, field("Reason"), exitCode);
}

/** `squeue -h -t all -j ID -o "%T|%r"`: `COMPLETED|None` (no exit code: scontrol gives it for final states). */
export function parseSqueueLine(text: string): JobStatusReport | null {
  const [state, reason = ""] = text.trim().split("\n")[0]?.split("|") ?? [];
  if (!state) return null;
  return reportFromSlurm(state, reason.trim() || null, null);
}
