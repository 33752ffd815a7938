/**
 * The dashboard's job diagnosis, off its event loop and under a time budget:
 * `torchstack job diagnose ID --json` in a child process, killed when it runs
 * past the budget. A slow or hostile log then costs the child its time, never
 * the server's (the page, the event stream and /metrics keep answering).
 */
import type { JobRecord } from "../../job/run/job-record.js";
import type { ProcessRunner } from "../../process/run-process.js";
import { type JobDiagnosisDoc, jobDiagnosisSchema } from "./job-summary.js";

/** How long one job's diagnosis may take before the dashboard shows the job without it. */
export const DIAGNOSIS_BUDGET_MS = 20_000;

export type JobDiagnoser = (record: JobRecord) => Promise<JobDiagnosisDoc | null>;

/** `cli`: the argv that starts torchstack itself (node and its entry script). */
export function childProcessDiagnoser(
  cli: readonly string[],
  env: NodeJS.ProcessEnv,
  run: ProcessRunner,
  budgetMs = DIAGNOSIS_BUDGET_MS,
): JobDiagnoser {
  const [file = process.execPath, ...args] = cli;
  return async (record) => {
    const result = await run(file, [...args, "job", "diagnose", record.id, "--json"], {
      env,
      timeoutMs: budgetMs,
      graceMs: 1000,
      reject: false,
      maxStdoutBytes: 4 * 2 ** 20,
    }).catch(() => null);
    if (!result || result.timedOut) return null;
    try {
      const parsed = jobDiagnosisSchema.safeParse(JSON.parse(result.stdout));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
}

/**
 * The argv that starts this torchstack again (node, its flags, the entry script), or null when this process
 * is not torchstack's own entry (embedded, under a test runner): then diagnosis stays in-process.
 */
export function selfCommand(argv = process.argv, execArgv = process.execArgv): string[] | null {
  const entry = argv[1];
  if (!entry || !/(?:^|\/)(?:torchstack(?:\.js)?|cli\.cjs)$/.test(entry)) return null;
  return [argv[0] ?? process.execPath, ...execArgv, entry];
}
