/**
 * Text rendering of verify checks: one line per check with status, time and reason. In a terminal,
 * where each check's line was already shown as it ran, only the failed and skipped ones (with
 * their reasons) are repeated, then the summary.
 */
import type { VerifyCheck } from "./probe-schemas.js";

const mark = { pass: "pass", fail: "FAIL", skip: "skip" } as const;

export function renderVerify(
  result: { ok: boolean; checks: readonly VerifyCheck[] },
  where: string,
  options: { progressShown?: boolean } = {},
): string {
  const width = Math.max(...result.checks.map((c) => c.name.length), 10);
  const shown = options.progressShown ? result.checks.filter((c) => c.status !== "pass") : result.checks;
  const lines = shown.map(
    (c) =>
      `${mark[c.status]}  ${c.name.padEnd(width)} ${c.ms.toFixed(0).padStart(6)} ms  ${c.status === "skip" ? `skipped: ${c.reason}` : c.reason}`,
  );
  const counts = (s: VerifyCheck["status"]) => result.checks.filter((c) => c.status === s).length;
  if (lines.length > 0) lines.push("");
  lines.push(
    `${result.ok ? "ok" : "FAILED"} (${where}): ${counts("pass")} passed, ${counts("fail")} failed, ${counts("skip")} skipped`,
  );
  return lines.join("\n");
}
