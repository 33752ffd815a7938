/**
 * Picks the root-cause rank of a failed job (pure): the first failure in time
 * that is not a collateral exit. When one rank dies, its peers fail a moment
 * later with "Connection closed by peer", a watchdog abort or SIGTERM from
 * their agent; torchrun's own "Root Cause" only looks inside one node. Order:
 * non-collateral before collateral, then the rank file's last write, then the
 * position in the launcher output.
 */

export interface RankFailure {
  rank: number | null;
  node: string;
  exitCode: number | null;
  /** The line that says why (the exception, the signal, the scheduler's message). */
  evidence: string;
  /** ms since the epoch, when known (the rank's last write), else null. */
  timeMs: number | null;
  /** Position in the launcher output (time of arrival). */
  order: number;
}

export interface RootCause {
  rank: number | null;
  node: string;
  exitCode: number | null;
  evidence: string;
}

/** What a rank says when another rank (or its own agent) ended it. */
const COLLATERAL = [
  /Connection closed by peer/i,
  /Connection reset by peer/i,
  /Broken pipe/i,
  /Signal 15 \(SIGTERM\)/i,
  /\bSIGTERM\b/,
  /exitcode\s*:?\s*-15\b/i,
  /NCCL communicator was aborted/i,
  /RendezvousClosedError/i,
  /Application timeout caused pair closure/i,
  /Timed out waiting \d+ms for (?:recv|send) operation/i,
  /^Terminated$/, // srun's word for a task it stopped because another failed
  /\bgot signal: 15\b/, // torchrun's SignalException: its agent was sent SIGTERM (srun --kill-on-bad-exit)
  /\bChildFailedError\b/, // the agent's wrapper for a failed worker: the worker's own error is the cause
];

export function isCollateral(evidence: string): boolean {
  return COLLATERAL.some((pattern) => pattern.test(evidence));
}

export function pickRootCause(failures: readonly RankFailure[]): RootCause | null {
  if (failures.length === 0) return null;
  const ranked = [...failures].sort((a, b) => {
    const ca = isCollateral(a.evidence) ? 1 : 0;
    const cb = isCollateral(b.evidence) ? 1 : 0;
    if (ca !== cb) return ca - cb;
    if (a.timeMs !== null && b.timeMs !== null && a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
    return a.order - b.order;
  });
  const first = ranked[0];
  if (!first) return null;
  return { rank: first.rank, node: first.node, exitCode: first.exitCode, evidence: first.evidence };
}
