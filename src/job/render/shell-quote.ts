/**
 * Shell words for the sbatch scripts: plain words quoted as everywhere
 * (src/process/shell-quote.ts); words that
 * must expand in the script (`$MASTER_ADDR`) are passed through `shellOwnWord`,
 * which expands torchstack's own variables and nothing else.
 */
import { shellQuote } from "../../process/shell-quote.js";

export { shellJoin, shellQuote } from "../../process/shell-quote.js";

/** The batch shell's own variables a rendered word may expand; nothing else in any word ever does. */
const OWN_VARS = ["MASTER_ADDR", "MASTER_PORT", "SLURM_JOB_ID", "SLURM_NODEID", "SLURM_JOB_NODELIST"];
const OWN_VAR = new RegExp(
  `\\$(?:\\{(${OWN_VARS.join("|")})\\}|(${OWN_VARS.join("|")})(?![A-Za-z0-9_]))`,
  "g",
);
/** Literal text that is the same inside double quotes as outside: no `$`, backtick, `\\`, `"` or `!`. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./ -]*$/;

/**
 * A word of ours that may carry `$MASTER_ADDR` or `${SLURM_JOB_ID}` for the batch shell to expand. Only
 * those variables expand: every other character (a `$(…)` in a path from the spec, a quote, a newline)
 * stays literal. Plain words keep their familiar form ("--master_addr=$MASTER_ADDR").
 */
export function shellOwnWord(word: string): string {
  const parts: string[] = [];
  let literal = "";
  let last = 0;
  let expands = false;
  for (const match of word.matchAll(OWN_VAR)) {
    const text = word.slice(last, match.index);
    literal += text;
    if (text) parts.push(shellQuote(text));
    parts.push(`"\${${match[1] ?? match[2]}}"`);
    last = match.index + match[0].length;
    expands = true;
  }
  if (!expands) return shellQuote(word);
  const rest = word.slice(last);
  if (rest) parts.push(shellQuote(rest));
  if (PLAIN.test(literal + rest)) return `"${word}"`;
  return parts.join("");
}
