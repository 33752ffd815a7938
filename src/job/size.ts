/**
 * Sizes as the spec writes them (`8g`, `512m`, `1.5G`): bytes for limits, and
 * the Kubernetes quantity (`8Gi`) for emptyDir size limits. Binary units, like
 * `docker run --shm-size`.
 */
const POWERS: Record<string, number> = { "": 0, k: 1, m: 2, g: 3, t: 4 };

export function parseSizeBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text}`);
  return Math.round(Number(m[1]) * 1024 ** (POWERS[(m[2] ?? "").toLowerCase()] ?? 0));
}

/** `8g` → `8Gi`; sizes that are not whole units fall back to plain bytes. */
export function kubernetesQuantity(text: string): string {
  const m = /^(\d+)([kmgt]?)b?$/i.exec(text.trim());
  if (!m) return String(parseSizeBytes(text));
  const unit = (m[2] ?? "").toLowerCase();
  return unit ? `${m[1]}${unit.toUpperCase()}i` : (m[1] ?? "0");
}
