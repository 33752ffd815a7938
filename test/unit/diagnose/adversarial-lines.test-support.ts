/**
 * Adversarial log lines for a regular expression, to time it against the worst a log can hold: the
 * pattern's own literal parts (what a hostile line repeats to make a backtracking engine try every start)
 * repeated to a line's length, or followed by long runs of the characters patterns skip over.
 */

const ESCAPES: Record<string, string> = { d: "9", D: "a", s: " ", S: "a", w: "a", W: " ", b: "", B: "" };
const FILLERS = ["a", "9", ".", ":", " ", "_", "`", "-", "=", "9.", "\u001b]", "\u001b[", "\t"];

/** One sample per top-level alternative and each literal prefix of it (cut where a quantifier or class is). */
export function literalPrefixes(pattern: RegExp): string[] {
  const source = pattern.source;
  const out = new Set<string>();
  let current = "";
  let depth = 0;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i] ?? "";
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      i += 1;
      if (next === "u") {
        current += String.fromCharCode(Number.parseInt(source.slice(i + 1, i + 5), 16));
        i += 4;
      } else current += next in ESCAPES ? (ESCAPES[next] ?? "") : next;
      if (ESCAPES[next]) out.add(current);
    } else if (ch === "[") {
      let end = i + 1;
      while (end < source.length && source[end] !== "]") end += source[end] === "\\" ? 2 : 1;
      const body = source.slice(i + 1, end).replace(/^\^/, "");
      out.add(current);
      const first = body.startsWith("\\") ? (ESCAPES[body[1] ?? ""] ?? body[1] ?? "a") : (body[0] ?? "a");
      current += source[i + 1] === "^" ? "a" : first;
      i = end;
    } else if (ch === "(") {
      depth += 1;
      if (source[i + 1] === "?") i += source[i + 2] === "<" && /[=!]/.test(source[i + 3] ?? "") ? 3 : 2;
    } else if (ch === ")") depth -= 1;
    else if (ch === "|" && depth === 0) {
      out.add(current);
      current = "";
    } else if ("+*?{".includes(ch)) {
      out.add(current);
      if (ch === "{") i = source.indexOf("}", i);
    } else if (ch !== "^" && ch !== "$" && ch !== "|") current += ch;
  }
  out.add(current);
  return [...out].filter((prefix) => prefix.trim().length > 0);
}

/** Lines of `length` characters built from the pattern's literal prefixes. */
export function adversarialLines(pattern: RegExp, length: number): string[] {
  const lines: string[] = [];
  const fill = (text: string) => text.repeat(Math.ceil(length / Math.max(1, text.length))).slice(0, length);
  for (const prefix of literalPrefixes(pattern)) {
    lines.push(fill(prefix), fill(`${prefix} `));
    for (const filler of FILLERS) lines.push((prefix + fill(filler)).slice(0, length));
    lines.push(`cuda ${fill(`${prefix}1`)}`.slice(0, length));
  }
  return lines;
}

/** The best of `runs` timings of `work`, in milliseconds: what the work costs when the machine lets it run. */
export function bestMs(work: () => unknown, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}
