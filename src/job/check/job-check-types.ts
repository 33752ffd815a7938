/**
 * One line of `job check`'s report: what was checked, whether it passed,
 * failed, only warns or was skipped (and why), with the code and the fix.
 */
import type { ErrorCode } from "../../errors/error-codes.js";

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

export interface JobCheck {
  id: "manifests" | "script" | "image" | "resources" | "pods" | "rendezvous" | "sbatch" | "server";
  status: CheckStatus;
  message: string;
  code?: ErrorCode;
  fix?: string[];
}

export const pass = (id: JobCheck["id"], message: string): JobCheck => ({ id, status: "pass", message });
export const skip = (id: JobCheck["id"], message: string): JobCheck => ({ id, status: "skip", message });
export const problem = (
  status: "fail" | "warn",
  id: JobCheck["id"],
  code: ErrorCode,
  message: string,
  fix: string[],
): JobCheck => ({ id, status, code, message, fix });
