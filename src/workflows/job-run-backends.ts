/**
 * Picks the backend of a job's target (local, slurm, kubernetes) with the
 * process runner and env it runs with.
 */
import type { JobTarget } from "../job/job-types.js";
import type { BackendContext, JobBackend } from "../job/run/job-backend.js";
import { kubernetesBackend } from "../job/run/kubernetes-backend.js";
import { localBackend } from "../job/run/local-backend.js";
import { slurmBackend } from "../job/run/slurm-backend.js";

export function backendFor(target: JobTarget, ctx: BackendContext, workspace: string): JobBackend {
  switch (target) {
    case "local":
      return localBackend(ctx);
    case "slurm":
      return slurmBackend(ctx, workspace);
    case "kubernetes":
      return kubernetesBackend(ctx);
  }
}
