/**
 * `torchstack gc`: finds what this owner left behind (see ./ownership.ts):
 * its containers that exited or whose environment record is gone, and its
 * images that no tag or container uses any more (temporary build tags).
 * Nothing without this owner's labels is ever listed, so another user's or
 * another state folder's environments, and containers made by plain
 * `docker run`, are safe. A running container is listed only with
 * `running: true`. Lists first; removes only when asked (`--yes`).
 */
import type { Engine } from "../engine/engine-client.js";
import { readEnvironmentRecord } from "./environment-record.js";
import { currentOwner, OWNER_LABEL } from "./ownership.js";

export interface GcItem {
  kind: "container" | "image";
  id: string;
  name: string;
  reason: string;
}

export interface Garbage {
  items: GcItem[];
  /** This owner's running containers without a record, left alone because `running` was not asked. */
  keptRunning: GcItem[];
}

export async function findGarbage(
  engine: Engine,
  env: NodeJS.ProcessEnv,
  options: { running?: boolean } = {},
): Promise<Garbage> {
  const owner = currentOwner(env);
  const items: GcItem[] = [];
  const keptRunning: GcItem[] = [];
  const containers = await engine.containers.list({
    labels: { "dev.torchstack.managed": "true", [OWNER_LABEL]: owner.id },
    all: true,
  });
  const usedImages = new Set(containers.map((c) => c.imageId));
  for (const c of containers) {
    if (c.labels[OWNER_LABEL] !== owner.id) continue; // the engine filtered; never trust it blindly
    const name = c.labels["dev.torchstack.env"] ?? c.name;
    if (c.state !== "running") {
      items.push({ kind: "container", id: c.id, name: c.name, reason: `state ${c.state}` });
      continue;
    }
    const record = readEnvironmentRecord(env, name);
    if (record && record.containerId === c.id) continue;
    const item: GcItem = {
      kind: "container",
      id: c.id,
      name: c.name,
      reason: "running, but no environment record (record deleted, or `up` was interrupted)",
    };
    (options.running ? items : keptRunning).push(item);
  }
  const images = await engine.images.list({ labels: { [OWNER_LABEL]: owner.id } });
  for (const image of images) {
    if (image.labels[OWNER_LABEL] !== owner.id) continue;
    const tags = image.tags.filter((t) => t !== "<none>:<none>");
    const temporary = tags.length > 0 && tags.every((t) => /:building-/.test(t));
    if ((tags.length === 0 || temporary) && !usedImages.has(image.id)) {
      items.push({
        kind: "image",
        id: image.id,
        name: tags[0] ?? image.id.slice(0, 19),
        reason: temporary ? "left by an interrupted build" : "untagged",
      });
    }
  }
  return { items, keptRunning };
}

export async function removeGarbage(engine: Engine, items: readonly GcItem[]): Promise<void> {
  for (const item of items) {
    if (item.kind === "container") await engine.containers.remove(item.id, { force: true, volumes: false });
    else await engine.images.remove(item.id);
  }
}
