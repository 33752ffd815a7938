/**
 * renderJob: one JobSpec and the lock's image and user to what a target runs:
 * the docker argv (local), the sbatch script (slurm) or the manifests
 * (kubernetes, by flavor). Pure: no disk, no processes.
 */
import type { RenderedJob, RenderJobInput } from "../job-types.js";
import { renderKubernetes } from "./kubernetes/render-kubernetes.js";
import { renderLocal } from "./render-local.js";
import { renderSlurm } from "./render-slurm.js";

export function renderJob(input: RenderJobInput): RenderedJob {
  switch (input.target) {
    case "local":
      return renderLocal(input);
    case "slurm":
      return renderSlurm(input);
    case "kubernetes":
      return renderKubernetes(input);
  }
}
