/**
 * Parses the failure table torchrun's agent prints when a worker fails
 * (ChildFailedError: "Failures:" and "Root Cause (first observed failure):"
 * entries with time, host, rank, exitcode, error_file), pure. Each node's agent
 * prints its own table, and its "Root Cause" is only the first failure that
 * agent saw, so the job's root cause is decided across all of them.
 */
import type { StreamLine } from "./rank-stream.js";

export interface AgentFailure {
  node: number | null;
  /** Order of the entry in the launcher output. */
  order: number;
  /** Seconds since the epoch (torchrun prints second resolution, UTC on these hosts). */
  time: number | null;
  host: string | null;
  rank: number | null;
  localRank: number | null;
  exitCode: number | null;
  /** The signal name when torchrun reports one ("Signal 9 (SIGKILL) received by PID"). */
  signal: string | null;
}

function parseTime(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})_(\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  return (
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000
  );
}

export function parseAgentFailures(lines: readonly StreamLine[]): AgentFailure[] {
  const failures: AgentFailure[] = [];
  let current: AgentFailure | null = null;
  for (const line of lines) {
    const text = line.text.trim();
    if (/^\[\d+\]:$/.test(text)) {
      current = {
        node: line.node,
        order: line.order,
        time: null,
        host: null,
        rank: null,
        localRank: null,
        exitCode: null,
        signal: null,
      };
      failures.push(current);
      continue;
    }
    if (!current) continue;
    const field = /^(time|host|rank|exitcode|error_file|traceback)\s*:\s*(.*)$/.exec(text);
    if (!field) {
      if (/^[-=]{10,}$/.test(text) || text === "") current = null;
      continue;
    }
    const [, key, value = ""] = field;
    if (key === "time") current.time = parseTime(value);
    else if (key === "host") current.host = value.trim() || null;
    else if (key === "rank") {
      const m = /^(-?\d+)(?:\s*\(local_rank:\s*(\d+)\))?/.exec(value);
      current.rank = m?.[1] ? Number(m[1]) : null;
      current.localRank = m?.[2] ? Number(m[2]) : null;
    } else if (key === "exitcode")
      current.exitCode = /^(-?\d+)/.exec(value)?.[1] ? Number(/^(-?\d+)/.exec(value)?.[1]) : null;
    else if (key === "traceback") current.signal = /Signal \d+ \((SIG\w+)\)/.exec(value)?.[1] ?? null;
  }
  // The same failure can appear twice in one table (under Failures and Root Cause): keep one per node and rank.
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.node}:${f.rank}:${f.host}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
