/**
 * `extends:` support: a derived spec is its parent deep-merged with the child.
 * Mappings merge key by key, the child wins, lists are replaced (never
 * concatenated, so a child can remove a package by restating the list).
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function deepMerge(parent: unknown, child: unknown): unknown {
  if (!isPlainObject(parent) || !isPlainObject(child)) return child === undefined ? parent : child;
  const merged: Record<string, unknown> = { ...parent };
  for (const [key, value] of Object.entries(child)) merged[key] = deepMerge(parent[key], value);
  return merged;
}
