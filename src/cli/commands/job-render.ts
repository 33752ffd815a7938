/**
 * `torchstack job render --target local|slurm|kubernetes`: what the job would
 * run, exactly — the docker command, the sbatch script or the manifests —
 * printed, or written into a folder with -o. torchx's --dryrun, for every target.
 */
import type { RenderedJob } from "../../job/job-types.js";
import { shellJoin } from "../../job/render/shell-quote.js";
import { renderJobWorkflow } from "../../workflows/job-render.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";
import { jobTargetOptions, readJobTarget } from "./job-target-options.js";

/** The launch line naming the files where -o wrote them (the rendered line names them relative to that folder). */
function launchOf(rendered: RenderedJob, written: readonly string[]): string[] {
  const where = new Map(rendered.files.map((file, i) => [file.path, written[i] ?? file.path]));
  return rendered.launch.map((word) => where.get(word) ?? word);
}

export const jobRenderCommand = defineCommand({
  name: "job render",
  summary: "print (or write) the job's launch command, sbatch script or Kubernetes manifests",
  usage: "job render --target local|slurm|kubernetes [--flavor F] [-f SPEC] [-o DIR] [--workspace DIR]",
  description:
    "Renders the spec's `job` block for one target with the image the lock names (its pushed digest when " +
    "`build --push` recorded one): local is a `docker run` of torchrun in the environment's image; slurm an " +
    "sbatch script (one task per node, torchrun per node, the container form of job.slurm.container); " +
    "kubernetes the manifests of the flavor (indexed-job, jobset, trainjob, pytorchjob). Without -o the " +
    "content is printed; with -o DIR the files are written there. Details: docs/jobs.md.",
  options: {
    ...jobTargetOptions,
    file: specFileOption,
    output: { type: "string", short: "o", valueName: "DIR", description: "write the files into DIR" },
  },
  examples: [
    "torchstack job render --target slurm",
    "torchstack job render --target kubernetes --flavor trainjob -o k8s/",
    "torchstack job render --target local --json",
  ],
  async run(input, io) {
    const { target, flavor, workspace } = readJobTarget(input);
    const result = await renderJobWorkflow({
      cwd: io.cwd,
      file: input.flags.file,
      target,
      flavor,
      workspace,
      env: io.env,
      reporter: io.reporter,
      outputDir: input.flags.output,
    });
    const { rendered, written } = result;
    const json = {
      ok: true,
      target: rendered.target,
      ...(rendered.flavor ? { flavor: rendered.flavor } : {}),
      name: rendered.name,
      image: rendered.image,
      launch: rendered.launch,
      files: written.length > 0 ? written.map((path) => ({ path })) : rendered.files,
      notes: rendered.notes,
    };
    const printed =
      rendered.target === "local"
        ? `${shellJoin(rendered.launch)}\n`
        : rendered.files.map((file) => file.content).join("");
    const text =
      written.length > 0
        ? [
            ...written.map((path) => `wrote ${path}`),
            `start it with: ${shellJoin(launchOf(rendered, written))}`,
          ].join("\n")
        : printed.trimEnd();
    return { json, text };
  },
});
