/**
 * The inventory on disk, beside the lock: torchstack.lock → torchstack.inventory.json.
 * Deterministic text (sorted entries, 2-space JSON, trailing newline) whose
 * sha256 the lock records, so a swapped or edited inventory is refused.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { sha256Hex } from "../lock/canonical-json.js";
import { type Inventory, inventorySchema } from "./inventory-schema.js";

export function inventoryPathFor(lockPath: string): string {
  return join(dirname(lockPath), `${basename(lockPath).replace(/\.lock$/, "")}.inventory.json`);
}

export function serializeInventory(inventory: Inventory): string {
  const sorted: Inventory = {
    ...inventory,
    dpkg: [...inventory.dpkg].sort((a, b) => (a.name + a.arch).localeCompare(b.name + b.arch)),
    pip: [...inventory.pip].sort((a, b) => a.name.localeCompare(b.name)),
  };
  return `${JSON.stringify(inventorySchema.parse(sorted), null, 2)}\n`;
}

/** sha256 of what the inventory says is installed (the image it was read from is left out). */
export function inventoryDigest(inventory: Inventory): string {
  const { image: _image, ...contents } = inventorySchema.parse(JSON.parse(serializeInventory(inventory)));
  return `sha256:${sha256Hex(JSON.stringify(contents))}`;
}

export function writeInventory(path: string, inventory: Inventory): void {
  writeFileAtomic(path, serializeInventory(inventory));
}

/** Reads the inventory and checks it is the one the lock names (its digest). */
export function readInventory(path: string, expectedDigest?: string): Inventory {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new TorchstackError("E_INVENTORY_INVALID", `cannot read ${path}: ${(error as Error).message}`, {
      remedies: ["torchstack build (reads the inventory from the built image and writes it beside the lock)"],
    });
  }
  const parsed = inventorySchema.safeParse(data);
  if (!parsed.success)
    throw new TorchstackError("E_INVENTORY_INVALID", `${path} does not match the inventory format`, {
      remedies: ["torchstack build (rewrites it from the image)"],
      details: { issue: parsed.error.issues[0]?.message ?? "" },
    });
  const digest = inventoryDigest(parsed.data);
  if (expectedDigest && digest !== expectedDigest)
    throw new TorchstackError(
      "E_INVENTORY_INVALID",
      `${path} is not the inventory the lock names (digest ${digest}, the lock says ${expectedDigest})`,
      {
        remedies: [
          "restore the inventory that was committed with the lock",
          "torchstack build (records a new one)",
        ],
      },
    );
  return parsed.data;
}
