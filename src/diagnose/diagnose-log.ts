/**
 * Names the known problems in a log, one line at a time (pure). A scanner
 * takes raw lines as they arrive and keeps, per KNOWN_ERRORS entry, the first
 * matching line and a count, plus a bounded set of context lines for the
 * fixers (see log-fixers.ts); memory does not grow with the log. `findings()`
 * turns that into one finding per code with the first matching line as
 * evidence. `diagnoseLog` does the same for a log already in memory. A clean
 * log gives no findings.
 */

import { builtinCatalog, type Catalog } from "../catalog/catalog.js";
import type { ErrorCode } from "../errors/error-codes.js";
import type { Problem } from "../errors/problem.js";
import { KNOWN_ERRORS } from "./known-errors.js";
import { createLineSplitter } from "./line-splitter.js";
import { CONTEXT_PATTERNS, FIXERS } from "./log-fixers.js";
import { cleanLogLine, RAW_LINE_LIMIT } from "./normalize-log.js";

/** A diagnose finding: the shared problem shape with where in the log it was seen. */
export interface DiagnoseFinding extends Problem {
  code: ErrorCode;
  title: string;
  cause: string;
  evidence: string;
  fix: string[];
  /** Line number of the evidence in the log (1-based). */
  line: number;
  /** How many lines matched this code. */
  occurrences: number;
  /** Added with --in: doctor facts that confirm or rule out the cause. */
  facts?: string[];
}

export interface LogScanner {
  /** One raw line of the log, without its line break. */
  add(rawLine: string): void;
  /** Lines seen so far. */
  readonly lines: number;
  findings(): DiagnoseFinding[];
}

/** Context lines kept for the fixers: enough for any real failure, bounded for any log. */
const MAX_CONTEXT_LINES = 2000;
const MAX_EVIDENCE = 500;

const anyOf = (patterns: readonly RegExp[]): RegExp =>
  new RegExp(patterns.map((p) => `(?:${p.source})`).join("|"), "i");
const ANY_KNOWN = anyOf(KNOWN_ERRORS.flatMap((k) => k.patterns));
const ANY_CONTEXT = anyOf(CONTEXT_PATTERNS);
/**
 * Words at least one of which is in every line any known-error or context
 * pattern matches (a test proves it on every recorded log). One test of this
 * plain alternation per line rejects ordinary training output about three
 * times faster than the patterns themselves.
 */
const TRIGGER_WORDS = [
  "cuda",
  "nvml",
  "nvidia",
  "xid",
  "gpu",
  "fallen off",
  "kill",
  "sigkill",
  "exitcode",
  "oom",
  "out of memory",
  "ecc",
  "cublas",
  "assert",
  "kernel image",
  "undefined symbol",
  "torch",
  "nccl",
  "shm",
  "shared memory",
  "ordinal",
  "no space left",
  "bus error",
  "illegal",
  "signal",
  "capabilit",
  "+cu",
  "nproc",
  "reserved",
  "expandable",
  "tried to allocate",
  "process ",
  "anon-rss",
  "driver",
  // distributed jobs: rendezvous, ports, hostnames, TCPStore
  "socket",
  "address already in use",
  "eaddrinuse",
  "loopback",
  "connection refused",
  "rendezvous",
  "libuv",
  "watchdog",
  "diststore",
  // missing CUDA libraries: "libcudnn.so.9: cannot open shared object file"
  "shared object",
];
const TRIGGER = new RegExp(TRIGGER_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "i");

interface FirstHit {
  text: string;
  line: number;
  count: number;
}

export function createLogScanner(options: { prefilter?: boolean; catalog?: Catalog } = {}): LogScanner {
  const prefilter = options.prefilter !== false;
  // The diagnose command passes the merged catalog; a caller without one gets the built-in data.
  const catalog = options.catalog ?? builtinCatalog;
  const hits = new Map<ErrorCode, FirstHit>();
  const context: string[] = [];
  let lines = 0;
  return {
    get lines() {
      return lines;
    },
    add(rawLine) {
      lines += 1;
      if (prefilter && !TRIGGER.test(rawLine)) return;
      const text = cleanLogLine(rawLine);
      const known = ANY_KNOWN.test(text);
      if (!known && !ANY_CONTEXT.test(text)) return;
      if (context.length < MAX_CONTEXT_LINES) context.push(text);
      if (!known) return;
      for (const entry of KNOWN_ERRORS) {
        if (!entry.patterns.some((p) => p.test(text))) continue;
        const hit = hits.get(entry.code);
        if (hit) hit.count += 1;
        else hits.set(entry.code, { text, line: lines, count: 1 });
      }
    },
    findings() {
      const ctx = { text: context.join("\n"), catalog };
      const findings: DiagnoseFinding[] = [];
      for (const known of KNOWN_ERRORS) {
        const hit = hits.get(known.code);
        if (!hit) continue;
        const extra = FIXERS[known.fixer](ctx, hit.text);
        findings.push({
          code: known.code,
          title: known.title,
          cause: extra.cause ? `${known.cause} ${extra.cause}` : known.cause,
          evidence: hit.text.length > MAX_EVIDENCE ? `${hit.text.slice(0, MAX_EVIDENCE)}…` : hit.text,
          fix: [...extra.fix, ...known.fix],
          line: hit.line,
          occurrences: hit.count,
        });
      }
      return findings;
    },
  };
}

export function diagnoseLog(raw: string, catalog?: Catalog): DiagnoseFinding[] {
  const scanner = createLogScanner(catalog ? { catalog } : {});
  const splitter = createLineSplitter((line) => scanner.add(line), RAW_LINE_LIMIT);
  splitter.push(raw);
  splitter.end();
  return scanner.findings();
}
