/**
 * Cleans a log before matching: drops ANSI colour codes and carriage returns,
 * and strips prefixes that launchers add to each line ("[rank3]: ",
 * "[default0]:", "rank0: ", "0: "), keeping the text we match on and show as
 * evidence. Lines are capped so a minified blob cannot slow matching down.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC by definition
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*\u0007/g;
const RANK_PREFIX = /^\s*(?:\[(?:rank|default)\s*\d+\]\s*:?\s*|rank\s*\d+\s*:\s*|\d+:\s+)/i;
/** Longest line kept (characters); the rest of a longer line is ignored. */
export const MAX_LINE = 4000;
/** Longest raw line read (before colour codes and prefixes are dropped). */
export const RAW_LINE_LIMIT = MAX_LINE * 2;

/** One raw line (no line break) → the text matched and shown as evidence. */
export function cleanLogLine(line: string): string {
  let text = line.includes("\u001b") ? line.replace(ANSI, "") : line;
  for (let i = 0; i < 2 && RANK_PREFIX.test(text); i += 1) text = text.replace(RANK_PREFIX, "");
  return text.trim().slice(0, MAX_LINE);
}
