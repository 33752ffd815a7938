/**
 * `job render` as a workflow: load the render input, render for the target,
 * and either hand the files back (printing) or write them into a folder, each
 * atomically (scripts executable), so a failed render leaves nothing half-written.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { RenderedJob } from "../job/job-types.js";
import { renderJob } from "../job/render/render-job.js";
import { type JobRenderContext, type JobRenderOptions, loadJobRenderInput } from "./job-render-input.js";

export interface JobRenderResult extends JobRenderContext {
  rendered: RenderedJob;
  /** Absolute paths written (with an output folder). */
  written: string[];
}

export function writeRenderedJob(rendered: RenderedJob, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return rendered.files.map((file) => {
    const path = join(dir, file.path);
    writeFileAtomic(path, file.content, /\.(sh|sbatch)$/.test(file.path) ? 0o755 : 0o644);
    return path;
  });
}

export async function renderJobWorkflow(
  options: JobRenderOptions & { outputDir?: string | undefined },
): Promise<JobRenderResult> {
  const context = await loadJobRenderInput(options);
  options.reporter.step(
    `rendering ${context.input.job.name} for ${options.target}${options.target === "kubernetes" ? ` (${options.flavor ?? context.input.job.kubernetes.flavor})` : ""}`,
  );
  const rendered = renderJob(context.input);
  const written =
    options.outputDir === undefined
      ? []
      : writeRenderedJob(rendered, resolve(options.cwd, options.outputDir));
  return { ...context, rendered, written };
}
