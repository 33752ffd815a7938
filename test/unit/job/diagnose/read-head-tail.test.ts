import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exceptionLine } from "../../../../src/job/diagnose/diagnose-job.js";
import { readRankFiles } from "../../../../src/job/diagnose/rank-files.js";
import { readHeadTail } from "../../../../src/job/diagnose/read-head-tail.js";

const root = mkdtempSync(join(tmpdir(), "torchstack-head-tail-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("bounded reads of job logs", () => {
  it("a small file is read whole; a big one as its head and tail, cut at lines, saying what was skipped", () => {
    const small = join(root, "small.log");
    writeFileSync(small, "a\nb\n");
    expect(readHeadTail(small, { headBytes: 4, tailBytes: 4 })).toBe("a\nb\n");
    const big = join(root, "big.log");
    writeFileSync(big, "line one\nline two\nmiddle 1\nmiddle 2\nlast line\n");
    const text = readHeadTail(big, { headBytes: 12, tailBytes: 12 });
    expect(text).toBe(`line one\n[torchstack: 27 bytes of ${big} not read]\nlast line\n`);
  });

  it("a 600 MB rank stderr (sparse) is diagnosed from its tail in a few MB, not read whole", () => {
    const dir = join(root, "ranks", "none_abc", "attempt_0", "0");
    mkdirSync(dir, { recursive: true });
    const stderr = join(dir, "stderr.log");
    writeFileSync(stderr, "starting\n");
    truncateSync(stderr, 600 * 1024 * 1024);
    appendFileSync(
      stderr,
      "\nTraceback (most recent call last):\n  File x\nRuntimeError: boom at step 9000\n",
    );
    const [file] = readRankFiles(join(root, "ranks"), [], 1).filter((f) => f.stream === "stderr");
    expect(file?.text.length).toBeLessThan(2 * 1024 * 1024);
    expect(exceptionLine(file?.text ?? "")).toBe("RuntimeError: boom at step 9000");
  });
});
