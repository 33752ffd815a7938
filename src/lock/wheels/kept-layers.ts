/**
 * Which layers of the previous lock's wheel set a new lock keeps as they are.
 * A re-lock after a change to your packages would otherwise resolve torch's
 * closure afresh, and any new release of one of its dependencies (fsspec, sympy,
 * a uv update to the installer) would change the torch layer's wheel list: the
 * image's ≈ 6 GB torch layer would be rebuilt and downloaded again for a change
 * that never touched it. So, as uv and Cargo keep their lock's versions, a layer
 * stays exactly as locked while everything it was resolved from is unchanged:
 * - torch's layer and the installer: the same torch requirements, Python,
 *   platform tags, Python index and PyTorch index;
 * - the apps' layer: that, and the same app requirements.
 * Your packages' layer is always resolved again (constrained to what is kept).
 * `lock --upgrade` keeps nothing.
 */
import type { LockFile } from "../lock-schema.js";
import type { LockedWheel, WheelLayer, WheelSet } from "./wheel-set-schema.js";

/** What a wheel set is resolved from, as the lock being written sees it. */
export interface WheelSetInputs {
  python: string;
  platforms: readonly string[];
  pythonIndex: string;
  torchIndex: string | null;
  torchRequirements: readonly string[];
  appRequirements: readonly string[];
}

export interface KeptLayers {
  /** The kept layers, in install order. */
  layers: WheelLayer[];
  wheels: LockedWheel[];
}

/** The same entries, in any order. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((x, i) => x === sortedB[i]);
}

/** The pip requirements of a lock's apps ("jupyterlab==4.4.9"). */
export function appRequirementsOf(lock: Pick<LockFile, "pins">): string[] {
  return lock.pins.apps.filter((p) => p.manager === "pip").map((p) => p.requirement);
}

/** The previous lock's inputs, to compare with the new lock's. */
export function inputsOfLock(lock: LockFile, set: WheelSet): WheelSetInputs {
  return {
    python: set.python,
    platforms: set.platforms,
    pythonIndex: set.pythonIndex,
    torchIndex: set.torchIndex,
    torchRequirements: lock.pins.torch.map((p) => p.requirement),
    appRequirements: appRequirementsOf(lock),
  };
}

/** The previous set's layers that `now` may keep (none when torch's inputs changed). */
export function keptLayers(previous: WheelSetInputs, set: WheelSet, now: WheelSetInputs): KeptLayers {
  const torchSame =
    previous.python === now.python &&
    sameList(previous.platforms, now.platforms) &&
    previous.pythonIndex === now.pythonIndex &&
    previous.torchIndex === now.torchIndex &&
    sameList(previous.torchRequirements, now.torchRequirements) &&
    set.wheels.some((w) => w.layer === "torch");
  if (!torchSame) return { layers: [], wheels: [] };
  const layers: WheelLayer[] = ["torch", "installer"];
  if (sameList(previous.appRequirements, now.appRequirements)) layers.push("apps");
  return { layers, wheels: set.wheels.filter((w) => layers.includes(w.layer)) };
}
