/**
 * `lock --check --image IMAGE`: the image's packages against the inventory the
 * lock records. Any package added, removed or at another version is drift:
 * E_IMAGE_DRIFT with every difference, and the fix (rebuild from the lock, or
 * record the image's inventory when the change is wanted).
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import { readLock } from "../lock/lock-file.js";
import { type CollectDeps, collectInventory } from "./collect-inventory.js";
import { diffInventories } from "./inventory-diff.js";
import { inventoryPathFor } from "./inventory-file.js";
import { lockedInventory } from "./record-inventory.js";

export interface DriftResult {
  image: string;
  inventory: string;
  dpkgPackages: number;
  pipDistributions: number;
}

export async function checkImageDrift(
  lockPath: string,
  image: string,
  deps: CollectDeps,
): Promise<DriftResult> {
  const lock = readLock(lockPath);
  const locked = lockedInventory(lock, lockPath);
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
