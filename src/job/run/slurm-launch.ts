/**
 * How the Slurm target prepares a job before `sbatch`: the workspace (the
 * cluster's shared folder) must exist; with `container: oci` the image is
 * exported once into an OCI bundle there, before the job exists, so a failed
 * export leaves no job record behind; the rank folder is open to the image's
 * non-root user and the ranks see it at /workspace in a container (at its own
 * path without one).
 */
import { dockerCli } from "../../engine/docker-cli.js";
import type { BackendContext, JobLaunchSteps } from "./job-backend.js";
import { prepareOciBundle } from "./prepare-oci-bundle.js";
import { makeSharedRankFolder, rankFolderPaths } from "./rank-folders.js";
import { requireWorkspace } from "./require-workspace.js";

export function slurmLaunch(ctx: BackendContext): JobLaunchSteps {
  return {
    async prepare(input) {
      requireWorkspace(input.workspace);
      if (input.job.slurm.container !== "oci") return;
      await prepareOciBundle(
        {
          job: input.job,
          workspace: input.workspace,
          imageRef: input.image.ref,
          localTag: input.image.localTag,
          user: input.user,
        },
        { ...ctx, engineCli: dockerCli("jobs", ctx.env) },
      );
    },
    placeRanks(input, id) {
      const ranks = rankFolderPaths(input.workspace, id, input.job.slurm.container !== "none");
      makeSharedRankFolder(ranks.host);
      return { input, ranks };
    },
    adjust: (rendered) => rendered,
    savedFiles: (rendered) => rendered.files,
    firstRecord: () => ({}),
  };
}
