/**
 * Cleans a log before matching: drops ANSI colour codes and carriage returns,
 * and strips prefixes that launchers add to each line ("[rank3]: ",
 * "[default0]:", "rank0: ", "0: "), keeping the text we match on and show as
 * evidence. Lines are capped so a minified blob cannot slow matching down.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC by definition
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;
const RANK_PREFIX = /^\s*(?:\[(?:rank|default)\s*\d+\]\s*:?\s*|rank\s*\d+\s*:\s*|\d+:\s+)/i;
const MAX_LINE = 4000;

export interface LogLine {
  /** 1-based line number in the original log. */
  number: number;
  text: string;
}

export function normalizeLog(raw: string): LogLine[] {
  const lines = raw.replace(ANSI, "").replace(/\r\n?/g, "\n").split("\n");
  return lines.map((line, index) => {
    let text = line;
    for (let i = 0; i < 2 && RANK_PREFIX.test(text); i += 1) text = text.replace(RANK_PREFIX, "");
    return { number: index + 1, text: text.trim().slice(0, MAX_LINE) };
  });
}
