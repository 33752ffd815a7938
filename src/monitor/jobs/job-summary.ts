/**
 * What the dashboard shows of one torchstack job: its target, state (with the
 * scheduler's reason while PENDING), its ranks with their nodes, and for a
 * failed job the root-cause rank and the finding that explains it. Built from
 * the same two documents as `job status ID --json` and `job diagnose ID --json`
 * (`{"rootCause":{"rank","node","exitCode","evidence"},"findings":[…]}`); both
 * are read defensively (zod), since they belong to the job capability.
 */
import { z } from "zod";

export const JOB_STATES = ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;

const rankSchema = z.object({
  rank: z.number().int().min(0),
  node: z.string(),
  state: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
});

/** The part of `job status ID --json` the dashboard reads. */
export const jobStatusSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  target: z.string(),
  schedulerId: z.string().nullable().optional(),
  state: z.enum(JOB_STATES),
  reason: z.string().nullable().optional(),
  submittedAt: z.string().nullable().optional(),
  ranks: z.array(rankSchema).optional(),
});

/** `job diagnose` findings carry title, cause and evidence; `message` is accepted too. */
const findingSchema = z.looseObject({
  code: z.string(),
  title: z.string().optional(),
  cause: z.string().optional(),
  message: z.string().optional(),
  fix: z.array(z.string()).optional(),
  remedies: z.array(z.string()).optional(),
  rank: z.number().int().nullable().optional(),
});

/** The part of `job diagnose ID --json` the dashboard reads. */
export const jobDiagnosisSchema = z.looseObject({
  rootCause: z
    .object({
      /** null when the failure is the node's (its agent), not one rank's */
      rank: z.number().int().nullable(),
      node: z.string(),
      exitCode: z.number().int().nullable(),
      evidence: z.string(),
    })
    .nullable()
    .optional(),
  findings: z.array(findingSchema).optional(),
});

export type JobStatusDoc = z.infer<typeof jobStatusSchema>;
export type JobDiagnosisDoc = z.infer<typeof jobDiagnosisSchema>;

export interface JobRankSummary {
  rank: number;
  node: string;
  state: string | null;
  exitCode: number | null;
}

export interface JobSummary {
  id: string;
  name: string | null;
  target: string;
  schedulerId: string | null;
  state: (typeof JOB_STATES)[number];
  reason: string | null;
  submittedAt: string | null;
  ranks: JobRankSummary[];
  rootCause: { rank: number | null; node: string; exitCode: number | null; evidence: string } | null;
  /** The finding that explains the root cause (the first one when none names the rank). */
  finding: { code: string; message: string; fix: string[] } | null;
}

export function summarizeJob(status: JobStatusDoc, diagnosis: JobDiagnosisDoc | null): JobSummary {
  const rootCause = diagnosis?.rootCause ?? null;
  const findings = diagnosis?.findings ?? [];
  const main = findings.find((f) => rootCause !== null && f.rank === rootCause.rank) ?? findings[0];
  return {
    id: status.id,
    name: status.name ?? null,
    target: status.target,
    schedulerId: status.schedulerId ?? null,
    state: status.state,
    reason: status.reason ?? null,
    submittedAt: status.submittedAt ?? null,
    ranks: (status.ranks ?? [])
      .map((r) => ({ rank: r.rank, node: r.node, state: r.state ?? null, exitCode: r.exitCode ?? null }))
      .sort((a, b) => a.rank - b.rank),
    rootCause,
    finding: main
      ? {
          code: main.code,
          message: main.message ?? ([main.title, main.cause].filter(Boolean).join(": ") || main.code),
          fix: main.fix ?? main.remedies ?? [],
        }
      : null,
  };
}
