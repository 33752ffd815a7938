/**
 * Every pattern log diagnosis runs stays fast on the worst line a log can hold (no catastrophic
 * backtracking): each known-error and context pattern on adversarial lines of the longest kept length,
 * the line cleaner on the longest raw line, and whole hostile logs through diagnoseLog.
 */
import { describe, expect, it } from "vitest";
import { diagnoseLog } from "../../../src/diagnose/diagnose-log.js";
import { KNOWN_ERRORS } from "../../../src/diagnose/known-errors.js";
import { CONTEXT_PATTERNS } from "../../../src/diagnose/log-fixers.js";
import { cleanLogLine, MAX_LINE, RAW_LINE_LIMIT } from "../../../src/diagnose/normalize-log.js";
import { adversarialLines, bestMs } from "./adversarial-lines.test-support.js";

/** Per adversarial line: the worst linear pattern takes about 1 ms at MAX_LINE; the old loopback pattern 1.9 s. */
const PER_LINE_MS = 20;
/** The cleaner on the longest raw line: about 0.05 ms; the old OSC stripper 54 ms. */
const CLEAN_MS = 10;

function worst(test: (line: string) => unknown, lines: string[]): { ms: number; line: string } {
  let result = { ms: 0, line: "" };
  for (const line of lines) {
    const ms = bestMs(() => test(line));
    if (ms > result.ms) result = { ms, line };
  }
  return result;
}

const patterns = [
  ...KNOWN_ERRORS.flatMap((known) => known.patterns.map((pattern) => [known.code, pattern] as const)),
  ...CONTEXT_PATTERNS.map((pattern) => ["context", pattern] as const),
];

describe("log diagnosis patterns on adversarial lines", () => {
  it.each(patterns)("%s %s", (_code, pattern) => {
    const result = worst((line) => pattern.test(line), adversarialLines(pattern, MAX_LINE));
    expect(result.ms, `worst line: ${JSON.stringify(result.line.slice(0, 60))}…`).toBeLessThan(PER_LINE_MS);
  });

  it("cleanLogLine", () => {
    const lines = [
      "\u001b]".repeat(RAW_LINE_LIMIT / 2),
      `cuda ${"\u001b]".repeat(RAW_LINE_LIMIT / 2)}`,
      "\u001b[".repeat(RAW_LINE_LIMIT / 2),
      `\u001b[${"0;".repeat(RAW_LINE_LIMIT / 2)}`,
      "[rank1]: ".repeat(RAW_LINE_LIMIT / 9),
      " ".repeat(RAW_LINE_LIMIT),
    ];
    const result = worst(cleanLogLine, lines);
    expect(result.ms, `worst line: ${JSON.stringify(result.line.slice(0, 20))}…`).toBeLessThan(CLEAN_MS);
  });
});

/** A log that triggers `trigger`'s known error once, then `lines` copies of `filler` cut to the kept length. */
function hostileLog(trigger: string, filler: string, lines: number): string {
  const line = filler.repeat(Math.ceil(MAX_LINE / filler.length)).slice(0, MAX_LINE - 1);
  return `${trigger}\n${`${line}\n`.repeat(lines)}`;
}

/** Whole logs: the review's hostile inputs took 13 s to minutes; linear patterns take well under a second. */
const PER_LOG_MS = 5000;

describe("whole hostile logs through diagnoseLog", () => {
  it.each([
    ["hostname loopback lines", "", "cuda remote=[127.0.0.1]:", 30],
    ["unterminated OSC escapes", "", "cuda \u001b]", 1000],
    [
      "an OOM with long allocator figures",
      "torch.OutOfMemoryError: CUDA out of memory.",
      "Tried to allocate 9",
      2000,
    ],
    [
      "an OOM with long digit runs",
      "torch.OutOfMemoryError: CUDA out of memory.",
      `Tried to allocate ${"9".repeat(MAX_LINE)}`,
      2000,
    ],
    ["an Xid with unclosed PCI addresses", "NVRM: Xid (PCI:0000:01:00): 79", "Xid (PCI:", 2000],
    ["an assertion with unclosed quotes", "Assertion `x` failed", "Assertion `", 2000],
  ])("%s", (_name, trigger, filler, lines) => {
    const log = hostileLog(trigger, filler as string, lines as number);
    expect(bestMs(() => diagnoseLog(log), 1)).toBeLessThan(PER_LOG_MS);
  });
});
