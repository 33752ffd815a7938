/**
 * The one shape of "a problem and how to fix it", shared by doctor, diagnose,
 * job diagnose, resolve and spec findings: a code from the table, the evidence
 * (what was seen: a log line, a version, a path) and the fixes (exact commands or
 * edits, best first). Each kind of finding extends it with what it adds (a
 * severity, a line number, a rank). Errors that end a command carry the same
 * parts as `code`, `message` and `remedies`.
 */
import type { ErrorCode } from "./error-codes.js";

export interface Problem {
  readonly code: ErrorCode;
  /** What was seen that shows the problem, when there is one to quote. */
  readonly evidence?: string;
  /** Exact commands or edits that fix it, best first. */
  readonly fix: readonly string[];
}

export type Severity = "error" | "warning" | "info";
