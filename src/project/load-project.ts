/**
 * The one way a command or workflow opens a project: the spec file (`-f FILE`, else
 * ./torchstack.yaml), the spec read and validated, the lock beside it (with the
 * wheel set and indexes it records for CUDA wheel images), and what the caller asks
 * on top: the lock checked fresh against the spec and the catalog, the inventory the
 * lock names. A missing lock is E_NO_LOCK and a stale one E_LOCK_STALE, the same for
 * every caller. Nothing else in src/ reads the spec, the lock or the inventory file.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { inventoryPathFor, readInventory } from "../inventory/inventory-file.js";
import type { Inventory } from "../inventory/inventory-schema.js";
import { lockPathFor, noLockError, readLock } from "../lock/lock-file.js";
import type { LockFile } from "../lock/lock-schema.js";
import type { WheelSet } from "../lock/wheels/wheel-set-schema.js";
import { findSpecFile, loadSpec, SPEC_FILE_NAME } from "../spec/load-spec.js";
import type { Spec } from "../spec/schema.js";
import { readChain } from "../spec/spec-chain.js";
import type { KeyPath } from "../spec/yaml-source.js";
import type { Freshness, FreshnessOptions } from "./lock-freshness.js";

export type { Freshness, FreshnessOptions } from "./lock-freshness.js";

/**
 * `load` (default): find the spec (E_NO_SPEC) and read it; `find`: the file must exist, but only its
 * lock is wanted; `path`: only where it would be (the file need not exist: an optional lock beside it).
 */
export type SpecMode = "load" | "find" | "path";

/**
 * `required`: E_NO_LOCK without one; `optional`: the lock when there is one; `replaceable`: the lock
 * when it reads cleanly, else none (it is about to be rewritten); `none`: the lock is not read.
 */
export type LockMode = "required" | "optional" | "replaceable" | "none";

export interface ProjectRequest {
  /** Where the user is; a relative `file` is taken from here. */
  cwd: string;
  /** `-f FILE`; default ./torchstack.yaml in `cwd`. */
  file?: string | undefined;
  spec?: SpecMode | undefined;
  lock: LockMode;
  /** Re-resolve the spec and refuse a lock it or the catalog no longer matches (E_LOCK_STALE); needs `spec: "load"`. */
  fresh?: FreshnessOptions | undefined;
}

export interface Project<R extends ProjectRequest = ProjectRequest> {
  /** Absolute. */
  specFile: string;
  spec: R["spec"] extends "find" | "path" ? undefined : Spec;
  /** Where the lock is or would be written: torchstack.yaml → torchstack.lock. */
  lockPath: string;
  lock: R["lock"] extends "required" ? LockFile : LockFile | undefined;
  /** The lock's wheel set and the indexes it was resolved from (CUDA wheel images locked online). */
  wheels: WheelSet | undefined;
  /** Set when `fresh` was asked and there was a lock to check. */
  freshness: R["fresh"] extends FreshnessOptions
    ? R["lock"] extends "required"
      ? Freshness
      : Freshness | undefined
    : undefined;
  /** The inventory the lock names, checked against its digest (E_INVENTORY_INVALID); read once, when asked. */
  inventory(): Inventory | undefined;
  /** The line of a key in the spec or the parent that sets it, for messages (the files are read again). */
  lineOf(path: KeyPath): number | undefined;
}

/** A project before the request's modes narrow its fields. */
type OpenedProject = Omit<Project, "spec" | "freshness"> & {
  spec: Spec | undefined;
  freshness: Freshness | undefined;
};

function specFileOf(request: ProjectRequest): string {
  if ((request.spec ?? "load") === "path") return resolve(request.cwd, request.file ?? SPEC_FILE_NAME);
  return resolve(request.cwd, findSpecFile(request.cwd, request.file));
}

function readProjectLock(mode: LockMode, lockPath: string, specFile: string): LockFile | undefined {
  if (mode === "none") return undefined;
  if (!existsSync(lockPath)) {
    if (mode === "required") throw noLockError(lockPath, specFile);
    return undefined;
  }
  if (mode !== "replaceable") return readLock(lockPath);
  try {
    return readLock(lockPath);
  } catch {
    return undefined; // an unreadable old lock is simply replaced
  }
}

/** Opens the project `request` names; see ProjectRequest for what is read and checked. */
export async function loadProject<const R extends ProjectRequest>(request: R): Promise<Project<R>> {
  const specMode = request.spec ?? "load";
  if (request.fresh && specMode !== "load") throw new Error("loadProject: `fresh` needs the spec loaded");
  const specFile = specFileOf(request);
  const spec = specMode === "load" ? (await loadSpec(specFile)).spec : undefined;
  const lockPath = lockPathFor(specFile);
  const lock = readProjectLock(request.lock, lockPath, specFile);
  // The freshness check resolves the stack (catalog, resolver): loaded only by the commands that ask for it.
  const freshness =
    request.fresh && spec && lock
      ? await (await import("./lock-freshness.js")).assertLockFresh(spec, lock, request.fresh)
      : undefined;
  let inventory: { value: Inventory | undefined } | undefined;
  let chain: ReturnType<typeof readChain> | undefined;
  const project: OpenedProject = {
    specFile,
    spec,
    lockPath,
    lock,
    wheels: lock?.wheels,
    freshness,
    inventory() {
      const named = lock?.inventory;
      inventory ??= { value: named ? readInventory(inventoryPathFor(lockPath), named.digest) : undefined };
      return inventory.value;
    },
    lineOf(path) {
      chain ??= readChain(specFile);
      return (chain.find((source) => source.has(path)) ?? chain[0])?.lineOf(path);
    },
  };
  // The request's modes decide which fields are set, as Project<R> says.
  return project as Project<R>;
}
