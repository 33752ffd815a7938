/**
 * Whose UID:GID the container user takes: the owner of the workspace folder,
 * unless the folder belongs to root and torchstack runs under sudo, then the
 * invoking user's SUDO_UID/SUDO_GID. A root-owned workspace without sudo gives
 * 0:0, which the entrypoint answers by keeping the image's non-root user.
 */
import { statSync } from "node:fs";
import { EngineError } from "../../errors/torchstack-error.js";

export interface Owner {
  uid: number;
  gid: number;
  source: "workspace" | "sudo";
}

export function workspaceOwner(dir: string, env: NodeJS.ProcessEnv, stat = statSync): Owner {
  let info: { uid: number; gid: number; isDirectory(): boolean };
  try {
    info = stat(dir);
  } catch {
    throw new EngineError("E_NO_WORKSPACE", `workspace ${dir} does not exist`, {
      remedies: [`mkdir -p ${dir}`, "or pass an existing folder: torchstack up --workspace DIR"],
    });
  }
  if (!info.isDirectory()) {
    throw new EngineError("E_NO_WORKSPACE", `workspace ${dir} is not a folder`, {
      remedies: ["torchstack up --workspace DIR"],
    });
  }
  const sudoUid = Number(env.SUDO_UID);
  if (info.uid === 0 && Number.isInteger(sudoUid) && sudoUid > 0) {
    const sudoGid = Number(env.SUDO_GID);
    return {
      uid: sudoUid,
      gid: Number.isInteger(sudoGid) && sudoGid > 0 ? sudoGid : sudoUid,
      source: "sudo",
    };
  }
  return { uid: info.uid, gid: info.gid, source: "workspace" };
}
