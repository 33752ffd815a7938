/**
 * A workspace the environment's user cannot write: it belongs to root (and is not
 * writable by others), so the entrypoint keeps the image's non-root user and every
 * write to /workspace is refused. Root shells are common on GPU machines, so `up`
 * says so before it starts, with the fixes. Pure: the caller stats the folder.
 */
import type { Problem } from "../../errors/problem.js";

export interface RootWorkspaceInput {
  /** The environment's name, for the commands in the fixes. */
  name: string;
  workspace: string;
  /** Whose IDs the container user takes (the workspace owner, or SUDO_UID under sudo). */
  owner: { uid: number; gid: number };
  /** The workspace folder's mode bits. */
  mode: number;
  /** The image's non-root user. */
  user: { name: string; uid: number; gid: number };
  /** The user's extra `up` arguments to repeat in a fix (`-f FILE`). */
  again?: string;
}

export interface RootWorkspaceFinding extends Problem {
  code: "E_WORKSPACE_READ_ONLY";
  message: string;
}

export function rootWorkspaceFinding(input: RootWorkspaceInput): RootWorkspaceFinding | null {
  const { owner, user, workspace, name } = input;
  if (owner.uid !== 0 && owner.gid !== 0) return null;
  if ((input.mode & 0o002) !== 0) return null; // writable by everyone (a shared /tmp-like folder)
  const again = input.again ? ` ${input.again}` : "";
  return {
    code: "E_WORKSPACE_READ_ONLY",
    message:
      `workspace ${workspace} belongs to root, so the environment's user ${user.name} ` +
      `(${user.uid}:${user.gid}) cannot write to /workspace`,
    fix: [
      `give it to the environment's user: chown -R ${user.uid}:${user.gid} ${workspace}`,
      `or use a folder a non-root user owns (the environment's user takes its owner's IDs): torchstack down ${name}, then torchstack up${again} --workspace DIR`,
      "or run torchstack with sudo from your own account: the environment's user then takes your IDs (SUDO_UID)",
    ],
  };
}
