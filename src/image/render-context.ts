/**
 * The build context torchstack hands to the engine: Dockerfile, constraints.txt,
 * requirements.txt, rootfs/ (entrypoint, healthcheck, app config) and a
 * .dockerignore. renderBuildContext is pure; writeBuildContext puts it on disk
 * all at once (temp sibling, then rename), never over a directory it did not make.
 */

import { distroConstraint } from "../catalog/distro-dist-versions.js";
import { aptPreferences, inventoryConstraints } from "../inventory/inventory-pins.js";
import type { Inventory } from "../inventory/inventory-schema.js";
import type { LockFile } from "../lock/lock-schema.js";
import type { AppName } from "./assets/image-assets.js";
import { renderImageAssets } from "./assets/image-assets.js";
import { type BuildContext, CONTEXT_MARKER, type ContextFile } from "./build-context.js";
import { planDockerfile } from "./dockerfile-plan.js";
import { renderDockerfile } from "./render-dockerfile.js";
import { wheelContextFiles, wheelFreeze } from "./wheel-context-files.js";

export type { BuildContext, ContextFile } from "./build-context.js";
export { writeBuildContext } from "./write-context.js";

export interface RenderInput {
  lock: LockFile;
  /** Emit `# syntax=docker/dockerfile:1` (default false: nothing is fetched from Docker Hub; `render --syntax`). */
  syntax?: boolean;
  /** OCI `org.opencontainers.image.source`, when known. */
  source?: string;
  description?: string;
  /** The lock's inventory: pins every pip distribution (constraints) and dpkg package (apt preferences). */
  inventory?: Inventory;
}

function constraints(lock: LockFile, inventory: Inventory | undefined): string {
  if (lock.wheels) return wheelFreeze(lock.wheels, inventory);
  const header = "# torch pins: every pip install in the image honours these (PIP_CONSTRAINT).";
  const pins = lock.pins.torch.map((pin) =>
    pin.manager === "pip" ? pin.requirement : distroConstraint(pin.requirement),
  );
  if (!inventory) return `${[header, ...pins].join("\n")}\n`;
  const named = new Set(pins.map((p) => p.split(/[=<>!~ ]/, 1)[0]?.toLowerCase() ?? ""));
  const all = inventoryConstraints(inventory, named);
  const note = `# and every other distribution the lock's inventory records (${all.length}).`;
  return `${[header, ...pins, note, ...all].join("\n")}\n`;
}

function requirements(lock: LockFile): string {
  const lines = ["# Your pip packages from torchstack.yaml (installed under constraints.txt)."];
  return `${[...lines, ...lock.pins.pip.map((p) => p.requirement)].join("\n")}\n`;
}

const DOCKERIGNORE = `# Only what the Dockerfile copies is sent to the engine.
*
!constraints.txt
!requirements.txt
!apt-preferences
!rootfs/
!wheels/
!torch-check/
`;

export function renderBuildContext(input: RenderInput): BuildContext {
  const { lock } = input;
  const apps: Partial<Record<AppName, { port: number }>> = {};
  for (const [name, app] of Object.entries(lock.apps)) apps[name as AppName] = { port: app.port };
  const { libuvFallbackSite } = planDockerfile(lock);
  const assets = renderImageAssets({
    stack: lock.stack,
    apps,
    user: lock.user,
    jupyterUi: lock.apps.jupyter?.ui ?? "server",
    ...(libuvFallbackSite ? { libuvFallbackSite } : {}),
  });
  const options = {
    ...(input.syntax === undefined ? {} : { syntax: input.syntax }),
    ...(input.source === undefined ? {} : { source: input.source }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.inventory ? { aptPreferences: true } : {}),
  };
  const files: ContextFile[] = [
    { path: "Dockerfile", content: renderDockerfile(lock, options), mode: 0o644 },
    { path: ".dockerignore", content: DOCKERIGNORE, mode: 0o644 },
    { path: "constraints.txt", content: constraints(lock, input.inventory), mode: 0o644 },
    ...(input.inventory
      ? [{ path: "apt-preferences", content: aptPreferences(input.inventory), mode: 0o644 }]
      : []),
    { path: "requirements.txt", content: requirements(lock), mode: 0o644 },
    ...(lock.wheels ? wheelContextFiles(lock, lock.wheels) : []),
    ...assets.map((asset) => ({ path: `rootfs/${asset.path}`, content: asset.content, mode: asset.mode })),
    {
      path: CONTEXT_MARKER,
      content: `${JSON.stringify({ name: lock.name, specHash: lock.specHash })}\n`,
      mode: 0o644,
    },
  ];
  return { files };
}
