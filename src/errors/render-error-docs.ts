/**
 * Renders docs/errors.md from the table of codes (error-codes.ts): one row per
 * code with its exit code, meaning and kind of fix. Pure; `npm run docs:errors`
 * writes the file and a test fails when the committed file differs.
 */
import { ERROR_CODES, type FixKind } from "./error-codes.js";

const FIX_TEXT: Readonly<Record<FixKind, string>> = {
  "fix-command": "change the command line",
  "fix-spec": "edit torchstack.yaml (or the input file named)",
  relock: "re-run `torchstack lock`, or choose another stack",
  "fix-host": "fix the host: driver, GPU, packages or files",
  "fix-engine": "fix the container engine or registry",
  "fix-code": "fix the program or its settings",
  "fix-cluster": "fix the scheduler, nodes or network of the job",
  retry: "try again",
  "report-bug": "report it: a torchstack bug",
};

export function renderErrorDocs(): string {
  const rows = Object.entries(ERROR_CODES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, info]) =>
        `| \`${code}\` | ${info.kind} | ${info.exit} | ${info.meaning} | ${FIX_TEXT[info.fix]} |`,
    );
  return [
    "# Error and finding codes",
    "",
    "Generated from `src/errors/error-codes.ts` by `npm run docs:errors`; do not edit by hand.",
    "Every error a command ends with, and every finding `doctor`, `diagnose`, `verify` and `job diagnose`",
    'report, carries one of these codes. With `--json` an error is `{"ok":false,"error":{"code","message","remedies"}}`;',
    "the remedies name the exact command or edit for this case.",
    "",
    `${Object.keys(ERROR_CODES).length} codes. Kind: \`error\` ends a command, \`finding\` is reported by a check, \`both\` can be either.`,
    "",
    "| code | kind | exit | meaning | what to do |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
