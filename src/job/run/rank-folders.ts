/**
 * The job's torchrun rank log folder, inside the workspace
 * (.torchstack/jobs/ID/ranks) so every container form writes it: as the host
 * sees it and as the ranks see it (the workspace is /workspace in a
 * container). A local job's folder belongs to the ranks' owner and only they
 * can open it; a cluster job's is open to the image's non-root user.
 */
import { chmodSync, chownSync, existsSync, mkdirSync } from "node:fs";
import { join, sep } from "node:path";
import type { Owner } from "../../environments/up/workspace-owner.js";
import { CONTAINER_WORKSPACE } from "../job-types.js";
import type { RankFolder } from "./job-backend.js";

/** The folder below the workspace. */
export function rankFolderOf(id: string): string {
  return join(".torchstack", "jobs", id, "ranks");
}

export function rankFolderPaths(workspace: string, id: string, inContainer: boolean): RankFolder {
  const host = join(workspace, rankFolderOf(id));
  return { host, inJob: inContainer ? join(CONTAINER_WORKSPACE, rankFolderOf(id)) : host };
}

/** Each folder up to the rank folder that we make is given to `owner`; the job's own and below are 0700. */
export function makeOwnedRankFolder(workspace: string, id: string, owner: Pick<Owner, "uid" | "gid">): void {
  const privateFrom = 2; // .torchstack/jobs stay 0755, jobs/ID and below are the owner's alone
  let current = workspace;
  rankFolderOf(id)
    .split(sep)
    .forEach((part, index) => {
      current = join(current, part);
      if (existsSync(current)) return;
      mkdirSync(current, { mode: index >= privateFrom ? 0o700 : 0o755 });
      if (process.geteuid?.() === 0) chownSync(current, owner.uid, owner.gid);
    });
}

/** A cluster job's rank folder: the ranks run as the image's non-root user. */
export function makeSharedRankFolder(host: string): void {
  mkdirSync(host, { recursive: true });
  chmodSync(host, 0o777);
}
