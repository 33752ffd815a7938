/**
 * `torchstack gc`: finds what torchstack left behind: managed containers that
 * exited or whose environment record is gone, and images with torchstack labels
 * that no tag or container uses any more (temporary build tags). Lists them;
 * removes them only when asked (`--yes`).
 */
import type { Engine } from "../engine-client.js";
import { readEnvironmentRecord } from "./environment-record.js";

export interface GcItem {
  kind: "container" | "image";
  id: string;
  name: string;
  reason: string;
}

export async function findGarbage(engine: Engine, env: NodeJS.ProcessEnv): Promise<GcItem[]> {
  const items: GcItem[] = [];
  const containers = await engine.containers.list({
    labels: { "dev.torchstack.managed": "true" },
    all: true,
  });
  const usedImages = new Set(containers.map((c) => c.imageId));
  for (const c of containers) {
    const name = c.labels["dev.torchstack.env"] ?? c.name;
    const record = readEnvironmentRecord(env, name);
    if (c.state !== "running")
      items.push({ kind: "container", id: c.id, name: c.name, reason: `state ${c.state}` });
    else if (!record || record.containerId !== c.id) {
      items.push({
        kind: "container",
        id: c.id,
        name: c.name,
        reason: "no environment record (started elsewhere or record deleted)",
      });
    }
  }
  const images = await engine.images.list({ labels: { "dev.torchstack.stack": "" } }).catch(() => []);
  for (const image of images) {
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
  return items;
}

export async function removeGarbage(engine: Engine, items: readonly GcItem[]): Promise<void> {
  for (const item of items) {
    if (item.kind === "container") await engine.containers.remove(item.id, { force: true, volumes: false });
    else await engine.images.remove(item.id).catch(() => {});
  }
}
