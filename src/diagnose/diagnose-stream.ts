/**
 * Diagnoses a log while it streams: reads the source chunk by chunk (a file
 * of any size, or a pipe from a running program), decodes UTF-8 across chunk
 * boundaries, splits lines with a cap on the longest one and feeds them to a
 * log scanner, so resident memory stays flat whatever the log's size. With
 * `tee`, every chunk is written there as it arrives (waiting when the
 * destination is slow), so `python train.py 2>&1 | torchstack diagnose --tee`
 * shows the training output live and the findings at the end. Ctrl-C stops
 * the reading and the findings cover the log up to there.
 */

import { StringDecoder } from "node:string_decoder";
import type { Catalog } from "../catalog/catalog.js";
import { createLogScanner, type DiagnoseFinding } from "./diagnose-log.js";
import { createLineSplitter } from "./line-splitter.js";
import { RAW_LINE_LIMIT } from "./normalize-log.js";

/** Where pass-through output goes: stdout or stderr (any writable stream). */
export interface TeeTarget {
  write(chunk: Uint8Array | string): boolean;
  once(event: "drain" | "close" | "error", listener: () => void): unknown;
}

export interface StreamDiagnosis {
  findings: DiagnoseFinding[];
  lines: number;
  bytes: number;
  /** Ctrl-C stopped the reading: the findings cover the log up to there. */
  interrupted: boolean;
}

export async function diagnoseStream(
  source: AsyncIterable<Uint8Array | string>,
  options: { tee?: TeeTarget; signal?: AbortSignal; catalog?: Catalog } = {},
): Promise<StreamDiagnosis> {
  const scanner = createLogScanner(options.catalog ? { catalog: options.catalog } : {});
  const splitter = createLineSplitter((line) => scanner.add(line), RAW_LINE_LIMIT);
  const decoder = new StringDecoder("utf8");
  let bytes = 0;
  let interrupted = false;
  for await (const chunk of source) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    bytes += buffer.byteLength;
    if (options.tee && !options.tee.write(buffer)) await drained(options.tee);
    splitter.push(decoder.write(Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer)));
  }
  splitter.push(decoder.end());
  splitter.end();
  return { findings: scanner.findings(), lines: scanner.lines, bytes, interrupted };
}

function drained(target: TeeTarget): Promise<void> {
  return new Promise((resolve) => {
    target.once("drain", resolve);
    target.once("close", resolve);
    target.once("error", resolve);
  });
}
