/**
 * Reads a log of any size with bounded memory: the whole file when it is small,
 * else its first `headBytes` and its last `tailBytes` (where a crash's traceback
 * is) with one line in between saying how much was skipped. A 600 MB rank log
 * costs a few MB, never a string past V8's limit.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export interface HeadTailLimits {
  headBytes: number;
  tailBytes: number;
}

/** Rank files: the start (the setup) and the last MB (the failure). */
export const RANK_FILE_LIMITS: HeadTailLimits = { headBytes: 64 * 1024, tailBytes: 1024 * 1024 };
/** A launcher's merged output (every rank of every node): more of it, still bounded. */
export const OUTPUT_LIMITS: HeadTailLimits = { headBytes: 1024 * 1024, tailBytes: 32 * 1024 * 1024 };

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** Cuts at line starts, so no line is shown half. */
function afterFirstNewline(text: string): string {
  const at = text.indexOf("\n");
  return at < 0 ? text : text.slice(at + 1);
}

export function readHeadTail(path: string, limits: HeadTailLimits): string {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size <= limits.headBytes + limits.tailBytes) return readAt(fd, 0, size).toString("utf8");
    const head = readAt(fd, 0, limits.headBytes).toString("utf8");
    const tail = readAt(fd, size - limits.tailBytes, limits.tailBytes).toString("utf8");
    const kept = head.slice(0, head.lastIndexOf("\n") + 1);
    const skipped = size - Buffer.byteLength(kept) - Buffer.byteLength(afterFirstNewline(tail));
    return `${kept}[torchstack: ${skipped} bytes of ${path} not read]\n${afterFirstNewline(tail)}`;
  } finally {
    closeSync(fd);
  }
}
