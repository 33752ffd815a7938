/**
 * `lock --check --image IMAGE`: the image's packages against the inventory the
 * lock records. Any package added, removed or at another version is drift:
 * E_IMAGE_DRIFT with every difference, and the fix (rebuild from the lock, or
 * record the image's inventory when the change is wanted).
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import type { LockFile } from "../lock/lock-schema.js";
import { type CollectDeps, collectInventory } from "./collect-inventory.js";
import { diffInventories } from "./inventory-diff.js";
import { inventoryPathFor } from "./inventory-file.js";
import type { Inventory } from "./inventory-schema.js";

export interface DriftResult {
  image: string;
  inventory: string;
  dpkgPackages: number;
  pipDistributions: number;
}

/** A lock as the project loader opened it, with the inventory it names (read, digest checked). */
export interface LockedInventory {
  lock: LockFile;
  lockPath: string;
  inventory: Inventory | undefined;
}

export async function checkImageDrift(
  { lock, lockPath, inventory: locked }: LockedInventory,
  image: string,
  deps: CollectDeps,
): Promise<DriftResult> {
  if (!locked)
    throw new TorchstackError(
      "E_INVENTORY_INVALID",
      `${lockPath} records no inventory to compare ${image} with`,
      {
        remedies: ["torchstack build (records the built image's inventory beside the lock)"],
      },
    );
  const actual = await collectInventory(image, deps);
  const differences = diffInventories(locked, actual);
  if (differences.length > 0)
    throw new TorchstackError(
      "E_IMAGE_DRIFT",
      `${image} differs from the inventory ${lock.inventory?.file ?? ""} records (${differences.length} package${differences.length === 1 ? "" : "s"}):\n${differences
        .slice(0, 40)
        .map((d) => `  - ${d}`)
        .join("\n")}${differences.length > 40 ? `\n  … and ${differences.length - 40} more` : ""}`,
      {
        remedies: [
          "torchstack build (rebuilds from the lock: every package pinned to the recorded inventory)",
          "or, when the new versions are wanted: delete the inventory file and its lock entry, build, and commit both",
        ],
        details: { differences },
      },
    );
  return {
    image,
    inventory: inventoryPathFor(lockPath),
    dpkgPackages: actual.dpkg.length,
    pipDistributions: actual.pip.length,
  };
}
