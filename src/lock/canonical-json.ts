/**
 * Canonical JSON for hashing: object keys sorted at every level, no spaces, so
 * the same data always gives the same bytes (and the same sha256).
 */

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) out[key] = sortKeys(child);
  }
  return out;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

// node:crypto is taken at the call, not imported: an ESM import of it also builds WebCrypto (a few ms on
// every command that reads a lock, e.g. `job render`), which a hash does not use.
export function sha256Hex(text: string): string {
  return process.getBuiltinModule("node:crypto").createHash("sha256").update(text).digest("hex");
}
