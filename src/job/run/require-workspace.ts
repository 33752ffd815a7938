/**
 * A job on this machine or a cluster's shared folder runs in an existing
 * workspace: `job run` never creates it, so a mistyped --workspace runs
 * nothing instead of an empty folder's job.
 */
import { existsSync, statSync } from "node:fs";
import { TorchstackError } from "../../errors/torchstack-error.js";

export function requireWorkspace(workspace: string): void {
  if (existsSync(workspace) && statSync(workspace).isDirectory()) return;
  throw new TorchstackError(
    "E_JOB_WORKSPACE_MISSING",
    `the workspace ${workspace} does not exist: job run does not create it (a mistyped --workspace would run nothing)`,
    {
      remedies: [
        "pass the folder that holds the job's files: --workspace DIR (default: the spec's folder)",
        `or create it first: mkdir -p ${workspace}`,
      ],
    },
  );
}
