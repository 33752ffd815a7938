/**
 * What `job run` does before it acts: the checks `job check` makes, so a job
 * that would fail (a script not in the workspace, an image only this machine
 * has for a cluster, GPUs a CPU-only lock cannot use …) is refused with every
 * FAIL and its fix before anything is written or queued. Warnings are shown
 * and do not stop it. `--no-check` skips the checks; the workspace is still
 * never created (`runJob` refuses a missing one).
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import type { JobCheck } from "../job/check/job-check-types.js";
import { jobCommandLine } from "../job/job-command-line.js";
import type { RenderJobInput } from "../job/job-types.js";
import type { ProcessRunner } from "../process/run-process.js";
import { checkJobWorkflow } from "./job-check.js";
import { type JobRenderOptions, loadJobRenderInput } from "./job-render-input.js";

export interface PreparedJobRun {
  input: RenderJobInput;
  specFile: string;
}

/** Every FAIL in one error: the first one's code (E_JOB_IMAGE_LOCAL, E_JOB_SCRIPT_MISSING …), each with its fix. */
export function checksFailed(
  failed: readonly JobCheck[],
  input: RenderJobInput,
  specFile: string,
): TorchstackError {
  const first = failed[0];
  const lines = failed.map((check) => `${check.id}: ${check.message}${check.code ? ` (${check.code})` : ""}`);
  return new TorchstackError(
    first?.code ?? "E_JOB_CHECK_FAILED",
    `job run stopped before anything was ${input.target === "local" ? "started" : "submitted"}: ${lines.join("; ")}`,
    {
      remedies: [
        ...failed.flatMap((check) => check.fix ?? []),
        `every check: ${jobCommandLine("check", input, specFile)}`,
        `or run it anyway: ${jobCommandLine("run", input, specFile, ["--no-check"])}`,
      ],
      details: { checks: failed },
    },
  );
}

export async function prepareJobRun(
  options: JobRenderOptions & { run: ProcessRunner; check: boolean },
): Promise<PreparedJobRun> {
  if (!options.check) {
    const { input, specFile } = await loadJobRenderInput(options);
    return { input, specFile };
  }
  const { input, specFile, checks } = await checkJobWorkflow(options);
  for (const check of checks.filter((c) => c.status === "warn"))
    options.reporter.warn(`${check.id}: ${check.message}${check.code ? ` (${check.code})` : ""}`);
  const failed = checks.filter((check) => check.status === "fail");
  if (failed.length > 0) throw checksFailed(failed, input, specFile);
  return { input, specFile };
}
