/**
 * Files torchstack puts into every image under `rootfs/` of the build context
 * (the Dockerfile does `COPY rootfs/ /`): the entrypoint, the healthcheck and the
 * app start-up scripts. Pure: returns file contents; writing is the renderer's job.
 */
import type { ResolvedStack } from "../../resolve/stack.js";
import { entrypointAppsSection } from "./entrypoint-apps.js";
import { renderEntrypointHead } from "./entrypoint-script.js";
import { entrypointUserSection } from "./entrypoint-user.js";
import { healthcheckScript } from "./healthcheck-script.js";
import { renderSshdConfig, sshdConfigPath } from "./sshd-config.js";

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

const APP_ORDER: readonly AppName[] = ["ssh", "jupyter", "tensorboard", "vscode"];

/** The `/etc/torchstack/apps` list the entrypoint and healthcheck read: `name port [ui]` lines. */
function renderAppsFile(input: ImageAssetsInput): string {
  const lines = ["# torchstack apps: name port [ui] (generated; TORCHSTACK_APPS and *_PORT env override)"];
  for (const name of APP_ORDER) {
    const app = input.apps[name];
    if (!app) continue;
    lines.push(name === "jupyter" ? `${name} ${app.port} ${input.jupyterUi}` : `${name} ${app.port}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Every file of the image's rootfs layer, in a stable order. */
export function renderImageAssets(input: ImageAssetsInput): ImageAsset[] {
  const { stack, user } = input;
  const entrypoint =
    renderEntrypointHead({
      user: user.name,
      torch: stack.torch,
      python: stack.python,
      cuda: stack.cuda,
      cudnn: stack.cudnn,
      minDriver: stack.minDriver,
    }) +
    entrypointUserSection +
    entrypointAppsSection;
  const assets: ImageAsset[] = [
    { path: "usr/local/bin/torchstack-entrypoint", content: entrypoint, mode: 0o755 },
    { path: "usr/local/bin/torchstack-healthcheck", content: healthcheckScript, mode: 0o755 },
    { path: "etc/torchstack/apps", content: renderAppsFile(input), mode: 0o644 },
  ];
  if (input.apps.ssh) {
    assets.push({ path: sshdConfigPath, content: renderSshdConfig(user.name), mode: 0o644 });
  }
  return assets;
}
