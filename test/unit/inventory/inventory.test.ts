import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inventoryRunArgs } from "../../../src/inventory/collect-inventory.js";
import { diffInventories } from "../../../src/inventory/inventory-diff.js";
import {
  inventoryDigest,
  inventoryPathFor,
  readInventory,
  writeInventory,
} from "../../../src/inventory/inventory-file.js";
import { aptPreferences, inventoryConstraints } from "../../../src/inventory/inventory-pins.js";
import type { Inventory } from "../../../src/inventory/inventory-schema.js";

const inventory: Inventory = {
  inventoryVersion: 1,
  image: { id: "sha256:abc", ref: "demo:lock-1" },
  python: "3.13.5",
  dpkg: [
    { name: "python3-torch", version: "2.6.0+dfsg-7", arch: "amd64" },
    { name: "libssl3t64", version: "3.5.1-1", arch: "amd64" },
  ],
  pip: [
    { name: "torch", version: "2.6.0+debian", location: "system" },
    { name: "numpy", version: "2.2.4", location: "system" },
    { name: "odd", version: "1.0-debian-weird version", location: "venv" },
  ],
};

describe("inventory", () => {
  it("pins a rebuild: every dpkg package by apt preference, every PEP 440 pip version by constraint", () => {
    const prefs = aptPreferences(inventory);
    expect(prefs).toContain("Package: libssl3t64\nPin: version 3.5.1-1\nPin-Priority: 1001\n");
    expect(inventoryConstraints(inventory, new Set(["torch"]))).toEqual(["numpy==2.2.4"]);
  });

  it("reports every added, removed and changed package, and nothing for identical contents", () => {
    const later: Inventory = {
      ...inventory,
      image: { id: "sha256:def", ref: "demo:lock-1" },
      dpkg: [
        { name: "python3-torch", version: "2.6.0+dfsg-7", arch: "amd64" },
        { name: "libssl3t64", version: "3.5.4-1", arch: "amd64" },
        { name: "less", version: "668-1", arch: "amd64" },
      ],
      pip: inventory.pip.filter((d) => d.name !== "numpy"),
    };
    expect(diffInventories(inventory, later)).toEqual([
      "dpkg less:amd64: added 668-1",
      "dpkg libssl3t64:amd64: 3.5.1-1 → 3.5.4-1",
      "pip numpy: removed (was 2.2.4)",
    ]);
    expect(diffInventories(inventory, { ...inventory, image: later.image })).toEqual([]);
  });

  it("is stored beside the lock with a digest of its contents (not of the image it came from)", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-inv-"));
    const path = inventoryPathFor(join(dir, "torchstack.lock"));
    expect(path).toBe(join(dir, "torchstack.inventory.json"));
    writeInventory(path, inventory);
    const digest = inventoryDigest(inventory);
    expect(inventoryDigest({ ...inventory, image: { id: "sha256:other", ref: "x" } })).toBe(digest);
    expect(readInventory(path, digest).dpkg.map((p) => p.name)).toEqual(["libssl3t64", "python3-torch"]);
    writeFileSync(path, JSON.stringify({ ...inventory, python: "3.12.0" }));
    expect(() => readInventory(path, digest)).toThrow(/not the inventory the lock names/);
  });

  it("reads the image with no network, the probe on stdin", () => {
    expect(inventoryRunArgs("demo:lock-1")).toEqual([
      "run",
      "--rm",
      "-i",
      "--network",
      "none",
      "--entrypoint",
      "python3",
      "demo:lock-1",
      "-",
    ]);
  });
});
