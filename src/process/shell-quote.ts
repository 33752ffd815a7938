/**
 * POSIX shell quoting for every script torchstack writes (sbatch scripts,
 * Dockerfile RUN lines): a word is left bare when it is plainly safe, else
 * single-quoted, so whatever it holds reaches the program as one literal word.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== "" && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
