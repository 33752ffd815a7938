/**
 * "Did you mean …?" for misspelt keys and names: optimal-string-alignment distance
 * (Levenshtein plus adjacent transpositions, so `prot` is one step from `port`)
 * and a picker that only suggests names close enough to be a typo.
 */

/** Edit distance between two strings: insert, delete, substitute, swap neighbours — each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidate nearest to `word`, if it is within a typo's reach (≤ 1/3 of its length, at least 1). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The `count` candidates closest to `word` (case-insensitive), nearest first: "nearest known: …" lists. */
export function closest(word: string, candidates: readonly string[], count = 3): string[] {
  const w = word.toLowerCase();
  return candidates
    .map((name) => ({ name, distance: editDistance(w, name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((c) => c.name);
}
