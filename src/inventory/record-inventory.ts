/**
 * After a build: read the image's inventory, write it beside the lock and name
 * it in the lock (file, digest, image ID, counts). (Before a build, the project
 * loader reads the inventory the lock names, checked against its digest, so the
 * rebuild pins every package to it.) The lock's tag does not depend on this record.
 */
import { basename } from "node:path";
import type { LockFile } from "../lock/lock-schema.js";
import { type CollectDeps, collectInventory } from "./collect-inventory.js";
import { inventoryDigest, inventoryPathFor, writeInventory } from "./inventory-file.js";
import type { Inventory } from "./inventory-schema.js";

export interface RecordedInventory {
  inventory: Inventory;
  lock: LockFile;
  path: string;
}

export async function recordInventory(
  image: string,
  lock: LockFile,
  lockPath: string,
  deps: CollectDeps,
): Promise<RecordedInventory> {
  const inventory = await collectInventory(image, deps);
  const path = inventoryPathFor(lockPath);
  writeInventory(path, inventory);
  const next: LockFile = {
    ...lock,
    inventory: {
      file: basename(path),
      digest: inventoryDigest(inventory),
      imageId: inventory.image.id,
      dpkgPackages: inventory.dpkg.length,
      pipDistributions: inventory.pip.length,
    },
  };
  return { inventory, lock: next, path };
}
