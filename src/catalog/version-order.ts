/**
 * Numeric ordering of dotted versions ("2.10.0" > "2.9.1", "570.124.06" > "570.26").
 * Missing parts count as 0, so "610" is the start of the R610 branch.
 */

export function versionParts(version: string): number[] {
  return version.split(".").map((part) => Number.parseInt(part, 10) || 0);
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  const length = Math.max(pa.length, pb.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** "2.7.1" → "2.7". */
export function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}
