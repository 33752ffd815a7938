/**
 * POSIX shell quoting for the scripts the renderers write (sbatch scripts):
 * a word is left bare when it is plainly safe, else single-quoted. Words that
 * must expand in the script (`$MASTER_ADDR`) are passed through `shellWord`.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== "" && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A word that keeps `$VAR` / `${VAR}` expansion: double-quoted, with only the other specials escaped. */
export function shellExpand(word: string): string {
  return `"${word.replace(/(["\\`])/g, "\\$1")}"`;
}

export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
