/**
 * Files torchstack puts into every image under `rootfs/` of the build context
 * (the Dockerfile does `COPY rootfs/ /`): the entrypoint, the exec wrapper and the
 * home set-up they share, the healthcheck, the TCPStore libuv fallback where the
 * distro's torch needs it, and two generated files: `image.env` (the stack's
 * versions and the user, quoted for sh) and the apps list. The scripts are real
 * files beside this module, loaded as text. Pure: returns file contents.
 */
import type { ResolvedStack } from "../../resolve/stack.js";
import entrypointScript from "./entrypoint.sh?raw";
import healthcheckScript from "./healthcheck.py?raw";
import homeSetupScript from "./home-setup.sh?raw";
import { renderSshdConfig, sshdConfigPath, sshEnvConfPath } from "./sshd-config.js";
import tcpstoreFallback from "./tcpstore_libuv_fallback.py?raw";
import execScript from "./torchstack-exec.sh?raw";

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
  /** "lab" when JupyterLab is installed, "server" for plain Jupyter Server (Debian 12). */
  jupyterUi: "lab" | "notebook" | "server";
  /** The OS Python's site folder for the TCPStore libuv fallback ("/usr/local/lib/python3.13/dist-packages"), when torch needs it. */
  libuvFallbackSite?: string;
}

/** The image's exec wrapper: `torchstack exec` runs commands through it. */
export const EXEC_WRAPPER = "/usr/local/bin/torchstack-exec";
const APP_ORDER: readonly AppName[] = ["ssh", "jupyter", "tensorboard", "vscode"];

/** Quotes a value for a single-quoted POSIX sh word. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** `/etc/torchstack/image.env`: what the entrypoint reports and which user it runs as. */
function renderImageEnv(input: ImageAssetsInput): string {
  const { stack, user } = input;
  const values: [string, string][] = [
    ["TS_USER", user.name],
    ["TS_TORCH", stack.torch],
    ["TS_PYTHON", stack.python],
    ["TS_CUDA", stack.cuda ?? ""],
    ["TS_CUDNN", stack.cudnn ?? ""],
    ["TS_MIN_DRIVER", stack.minDriver ?? ""],
    ["TS_SSH_ENV_CONF", sshEnvConfPath],
  ];
  const lines = ["# torchstack image facts (generated; sourced by the entrypoint and torchstack-exec)"];
  return `${[...lines, ...values.map(([k, v]) => `${k}=${shellQuote(v)}`)].join("\n")}\n`;
}

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
  const assets: ImageAsset[] = [
    { path: "usr/local/bin/torchstack-entrypoint", content: entrypointScript, mode: 0o755 },
    { path: EXEC_WRAPPER.slice(1), content: execScript, mode: 0o755 },
    { path: "usr/local/lib/torchstack/home-setup.sh", content: homeSetupScript, mode: 0o644 },
    { path: "usr/local/bin/torchstack-healthcheck", content: healthcheckScript, mode: 0o755 },
    { path: "etc/torchstack/image.env", content: renderImageEnv(input), mode: 0o644 },
    { path: "etc/torchstack/apps", content: renderAppsFile(input), mode: 0o644 },
  ];
  if (input.apps.ssh) {
    assets.push({ path: sshdConfigPath, content: renderSshdConfig(input.user.name), mode: 0o644 });
  }
  if (input.libuvFallbackSite) {
    const site = input.libuvFallbackSite.replace(/^\/+|\/+$/g, "");
    assets.push(
      { path: `${site}/torchstack_tcpstore_libuv_fallback.py`, content: tcpstoreFallback, mode: 0o644 },
      {
        path: `${site}/torchstack-tcpstore-libuv-fallback.pth`,
        content: "import torchstack_tcpstore_libuv_fallback\n",
        mode: 0o644,
      },
    );
  }
  return assets;
}
