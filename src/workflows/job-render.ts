/**
 * `job render` as a workflow: load the render input, render for the target,
 * and either hand the files back (printing) or write them into a folder, each
 * atomically (scripts executable), so a failed render leaves nothing half-written.
 */
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";
import { writeFailed, writeFileAtomic } from "../fs/atomic-write.js";
import type { RenderedJob } from "../job/job-types.js";
import { renderJob } from "../job/render/render-job.js";
import { type JobRenderContext, type JobRenderOptions, loadJobRenderInput } from "./job-render-input.js";

export interface JobRenderResult extends JobRenderContext {
  rendered: RenderedJob;
  /** Absolute paths written (with an output folder). */
  written: string[];
}

/** The -o folder, made where missing; something in the way or a place torchstack cannot write is E_WRITE_FAILED with the fix. */
function makeOutputFolder(dir: string): void {
  const isFolder = (() => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return undefined; // not there (or not reachable): mkdir says which
    }
  })();
  if (isFolder === false)
    throw new TorchstackError("E_WRITE_FAILED", `cannot write into ${dir}: it is a file, not a folder`, {
      remedies: [`give a folder for the files: -o ${dir}-job (or remove the file: rm ${dir})`],
    });
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // EEXIST/ENOTDIR: a file is in the way further up; EPERM/EACCES/EROFS: a place this user cannot write.
    throw writeFailed(dir, error);
  }
}

export function writeRenderedJob(rendered: RenderedJob, dir: string): string[] {
  makeOutputFolder(dir);
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
