// The project loader: the spec, the lock beside it and the inventory it names, each read once, with a
// missing lock said one way (E_NO_LOCK, fixed by `torchstack lock`) and a stale one one way (E_LOCK_STALE).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inventoryDigest, writeInventory } from "../../../src/inventory/inventory-file.js";
import type { Inventory } from "../../../src/inventory/inventory-schema.js";
import { type LockFile, writeLock } from "../../../src/lock/lock-file.js";
import { loadProject } from "../../../src/project/load-project.js";
import { lockSpec } from "../../../src/workflows/lock-environment.js";

const SPEC = `name: demo
base: image:torchstack-local/debian:12
torchSource: distro
cuda: cpu
python: "3.11"
job:
  command: [python3, train.py]
`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A folder with torchstack.yaml, locked unless `locked` is false. */
async function project(
  locked = true,
): Promise<{ root: string; spec: string; lockPath: string; lock?: LockFile }> {
  const root = mkdtempSync(join(tmpdir(), "ts-project-"));
  roots.push(root);
  const spec = join(root, "torchstack.yaml");
  writeFileSync(spec, SPEC);
  const lockPath = join(root, "torchstack.lock");
  if (!locked) return { root, spec, lockPath };
  const { lock } = await lockSpec(spec, { env: {}, noHost: true });
  writeLock(lockPath, lock);
  return { root, spec, lockPath, lock };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );
}

describe("loadProject", () => {
  it("opens the spec and the lock beside it, from the folder or -f (relative to cwd)", async () => {
    const { root, spec, lockPath, lock } = await project();
    const here = await loadProject({ cwd: root, lock: "required" });
    expect(here).toMatchObject({ specFile: spec, lockPath, lock, wheels: undefined, freshness: undefined });
    expect(here.spec.name).toBe("demo");
    const sub = join(root, "sub");
    mkdirSync(sub);
    const viaFlag = await loadProject({ cwd: sub, file: "../torchstack.yaml", lock: "required" });
    expect(viaFlag.specFile).toBe(spec);
    expect(viaFlag.lock).toEqual(lock);
  });

  it("reports a missing lock one way: E_NO_LOCK, naming the lock and the command that writes it", async () => {
    const { root, spec, lockPath } = await project(false);
    const error = await loadProject({ cwd: root, lock: "required" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_NO_LOCK" });
    const { message, remedies } = error as { message: string; remedies: string[] };
    expect(message).toContain(`no lock file at ${lockPath}`);
    expect(remedies[0]).toBe(`torchstack lock -f ${spec} (writes it from the spec)`);
    expect((await loadProject({ cwd: root, lock: "optional" })).lock).toBeUndefined();
  });

  it("refuses an unreadable lock unless it is about to be replaced, and reads none when told not to", async () => {
    const { root, lockPath } = await project();
    writeFileSync(lockPath, "{ not json");
    expect(await codeOf(loadProject({ cwd: root, lock: "optional" }))).toBe("E_LOCK_INVALID");
    expect((await loadProject({ cwd: root, lock: "replaceable" })).lock).toBeUndefined();
    expect((await loadProject({ cwd: root, lock: "none" })).lock).toBeUndefined();
  });

  it("checks the lock fresh when asked: what it was resolved for, or E_LOCK_STALE once the spec changes", async () => {
    const { root, spec } = await project();
    const fresh = await loadProject({ cwd: root, lock: "required", fresh: { env: {} } });
    expect(fresh.freshness.resolvedFor.platform).toBe(fresh.lock.platform);
    writeFileSync(spec, `${SPEC}description: changed since the lock\n`);
    expect(await codeOf(loadProject({ cwd: root, lock: "required", fresh: { env: {} } }))).toBe(
      "E_LOCK_STALE",
    );
    // without `fresh` the lock is used as written
    expect((await loadProject({ cwd: root, lock: "required" })).lock.specHash).toBeDefined();
  });

  it("finds or only places the spec when just its lock is wanted (the spec is not read)", async () => {
    const { root, spec, lock } = await project();
    writeFileSync(spec, "name: [not, a, name]\n");
    const found = await loadProject({ cwd: root, spec: "find", lock: "required" });
    expect(found.spec).toBeUndefined();
    expect(found.lock).toEqual(lock);
    const empty = mkdtempSync(join(tmpdir(), "ts-project-"));
    roots.push(empty);
    expect(await codeOf(loadProject({ cwd: empty, spec: "find", lock: "optional" }))).toBe("E_NO_SPEC");
    const placed = await loadProject({ cwd: empty, spec: "path", lock: "optional" });
    expect(placed).toMatchObject({ specFile: join(empty, "torchstack.yaml"), lock: undefined });
  });

  it("reads the inventory the lock names once asked, checked against the lock's digest", async () => {
    const { root, lockPath, lock } = await project();
    expect((await loadProject({ cwd: root, lock: "required" })).inventory()).toBeUndefined();
    const inventory: Inventory = {
      inventoryVersion: 1,
      image: { id: "sha256:abc", ref: "demo:lock-1" },
      python: "3.11.2",
      dpkg: [{ name: "python3-torch", version: "2.6.0+dfsg-7", arch: "amd64" }],
      pip: [{ name: "torch", version: "2.6.0", location: "system" }],
    };
    writeInventory(join(root, "torchstack.inventory.json"), inventory);
    const named = {
      file: "torchstack.inventory.json",
      digest: inventoryDigest(inventory),
      imageId: "sha256:abc",
      dpkgPackages: 1,
      pipDistributions: 1,
    };
    writeLock(lockPath, { ...(lock as LockFile), inventory: named });
    expect((await loadProject({ cwd: root, lock: "required" })).inventory()?.pip).toEqual(inventory.pip);
    writeLock(lockPath, {
      ...(lock as LockFile),
      inventory: { ...named, digest: `sha256:${"0".repeat(64)}` },
    });
    const tampered = await loadProject({ cwd: root, lock: "required" });
    expect(() => tampered.inventory()).toThrow(/not the inventory the lock names/);
  });

  it("names the line of a spec key, for messages", async () => {
    const { root } = await project();
    const loaded = await loadProject({ cwd: root, lock: "none" });
    expect(loaded.lineOf(["job", "command"])).toBe(7);
  });
});
