/**
 * Drift between two inventories (the lock's and an image's): packages added,
 * removed or at another version, dpkg and pip alike, as sorted lines a user can
 * read ("dpkg libssl3t64: 3.5.1-1 → 3.5.4-1"). Empty means identical contents.
 */
import type { Inventory } from "./inventory-schema.js";

function versions<T>(
  entries: readonly T[],
  key: (e: T) => string,
  value: (e: T) => string,
): Map<string, string> {
  return new Map(entries.map((e) => [key(e), value(e)]));
}

function diffMaps(kind: string, old: Map<string, string>, now: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(name);
    const b = now.get(name);
    if (a === b) continue;
    if (a === undefined) lines.push(`${kind} ${name}: added ${b}`);
    else if (b === undefined) lines.push(`${kind} ${name}: removed (was ${a})`);
    else lines.push(`${kind} ${name}: ${a} → ${b}`);
  }
  return lines;
}

export function diffInventories(locked: Inventory, image: Inventory): string[] {
  const dpkgKey = (e: Inventory["dpkg"][number]) => `${e.name}:${e.arch}`;
  return [
    ...diffMaps(
      "dpkg",
      versions(locked.dpkg, dpkgKey, (e) => e.version),
      versions(image.dpkg, dpkgKey, (e) => e.version),
    ),
    ...diffMaps(
      "pip",
      versions(
        locked.pip,
        (e) => e.name,
        (e) => e.version,
      ),
      versions(
        image.pip,
        (e) => e.name,
        (e) => e.version,
      ),
    ),
  ];
}
