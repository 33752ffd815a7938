/**
 * How the local target prepares a job before `docker run`: the workspace must
 * exist; the ranks run as the workspace owner (as `up` runs environments; the
 * caller itself when it is not root) in a rank folder only they can open; the
 * `--ulimit` values are capped at this host's hard limits the way `up` caps
 * them; the saved script has the job's env values redacted.
 */
import { readHardLimits } from "../../environments/up/ulimit-fallback.js";
import { type Owner, workspaceOwner } from "../../environments/up/workspace-owner.js";
import { localScript } from "../render/render-local.js";
import { capUlimitArgs } from "./cap-ulimit-args.js";
import type { BackendContext, JobLaunchSteps } from "./job-backend.js";
import { makeOwnedRankFolder, rankFolderPaths } from "./rank-folders.js";
import { requireWorkspace } from "./require-workspace.js";

/** Who local ranks run as: the workspace owner when torchstack runs as root (as `up` does), else the caller. */
export function localRankOwner(workspace: string, env: NodeJS.ProcessEnv): Pick<Owner, "uid" | "gid"> {
  const uid = process.geteuid?.() ?? 0;
  if (uid === 0) return workspaceOwner(workspace, env);
  return { uid, gid: process.getegid?.() ?? uid };
}

export function localLaunch(ctx: BackendContext): Omit<JobLaunchSteps, "firstRecord"> {
  return {
    async prepare(input) {
      requireWorkspace(input.workspace);
    },
    placeRanks(input, id) {
      const owner = localRankOwner(input.workspace, ctx.env);
      makeOwnedRankFolder(input.workspace, id, owner);
      return {
        input: { ...input, user: { ...input.user, uid: owner.uid, gid: owner.gid } },
        ranks: rankFolderPaths(input.workspace, id, true),
      };
    },
    adjust(rendered) {
      const { argv, capped } = capUlimitArgs(rendered.launch, readHardLimits());
      if (capped.length)
        ctx.progress(`this host cannot raise every limit: ${capped.join(", ")} (as up does)`);
      return { ...rendered, launch: argv };
    },
    savedFiles(rendered, input) {
      const secrets = new Set(Object.keys(input.job.env));
      return rendered.files.map((file) =>
        file.path.endsWith(".local.sh")
          ? { ...file, content: localScript(rendered.launch, rendered.launchEnv ?? {}, secrets) }
          : file,
      );
    },
  };
}
