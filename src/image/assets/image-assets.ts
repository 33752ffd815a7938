/**
 * Files torchstack puts into every image under `rootfs/` of the build context
 * (the Dockerfile does `COPY rootfs/ /`): the entrypoint, the healthcheck and the
 * app start-up scripts. Pure: returns file contents; writing is the renderer's job.
 */
import type { ResolvedStack } from "../../resolve/stack.js";

export type AppName = "jupyter" | "ssh" | "tensorboard" | "vscode";

export interface ImageAsset {
  /** Path inside the image, without the leading slash: "usr/local/bin/torchstack-entrypoint". */
  path: string;
  content: string;
  /** 0o755 for scripts, 0o644 for config. */
  mode: number;
}

export interface ImageAssetsInput {
  stack: ResolvedStack;
  /** Apps that are on, with their in-container ports. */
  apps: Partial<Record<AppName, { port: number }>>;
  /** The non-root user created by the Dockerfile. */
  user: { name: string; uid: number; gid: number };
  /** "lab" when JupyterLab is installed, "server" for plain Jupyter Server (Debian). */
  jupyterUi: "lab" | "notebook" | "server";
}
