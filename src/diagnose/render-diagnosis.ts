/** Text rendering of diagnose findings: title, cause, the evidence line and the fixes. */
import type { DiagnoseFinding } from "./diagnose-log.js";

export function renderDiagnosis(findings: readonly DiagnoseFinding[]): string {
  if (findings.length === 0) return "No known problems found in this log.";
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(
      `${f.code}: ${f.title}`,
      `  cause:    ${f.cause}`,
      `  evidence: line ${f.line}: ${f.evidence}`,
    );
    if (f.occurrences > 1) lines.push(`            (${f.occurrences} matching lines)`);
    for (const fact of f.facts ?? []) lines.push(`  fact:     ${fact}`);
    for (const fix of f.fix) lines.push(`  fix:      ${fix}`);
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}
