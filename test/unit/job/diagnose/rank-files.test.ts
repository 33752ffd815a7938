/**
 * readRankFiles reads only what torchrun wrote: real folders and regular files. A cluster job's rank folder is
 * open to the image's user, so a link planted there (to a file the reader may read, or to a huge one) or a FIFO
 * (which would block the read forever) is passed over.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRankFiles } from "../../../../src/job/diagnose/rank-files.js";
import { runProcess } from "../../../../src/process/run-process.js";

const root = mkdtempSync(join(tmpdir(), "ts-rank-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("reading a job's rank files", () => {
  it("reads regular files in real folders only: no planted link, linked folder or FIFO", async () => {
    const ranks = join(root, "ranks");
    const attempt = join(ranks, "run_abc", "attempt_0");
    for (const rank of ["0", "1", "3"]) mkdirSync(join(attempt, rank), { recursive: true });
    writeFileSync(join(attempt, "0", "stderr.log"), "RuntimeError: rank 0 failed\n");
    const secret = join(root, "secret.txt");
    writeFileSync(secret, "not a rank's output\n");
    symlinkSync(secret, join(attempt, "1", "stderr.log"));
    symlinkSync(join(attempt, "0"), join(attempt, "2"));
    await runProcess("mkfifo", [join(attempt, "3", "stderr.log")]);
    const elsewhere = join(root, "elsewhere", "attempt_0", "0");
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, "stderr.log"), "from a linked agent folder\n");
    symlinkSync(join(root, "elsewhere"), join(ranks, "run_planted"));

    const files = readRankFiles(ranks, [], 4);
    expect(files.map((f) => [f.localRank, f.stream, f.text.trim()])).toEqual([
      [0, "stderr", "RuntimeError: rank 0 failed"],
    ]);
  });
});
