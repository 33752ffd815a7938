/**
 * `job diagnose` right after a job ends: a node's rank folder that is not on
 * this machine yet (a shared folder catching up) is waited for, bounded; when
 * it never comes the diagnosis says which ranks it cannot see.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BackendContext } from "../../../src/job/run/job-backend.js";
import { type JobRecord, writeJobRecord } from "../../../src/job/run/job-record.js";
import { diagnoseJobOrFolder } from "../../../src/workflows/job-run-manage.js";

const RECORDED = join(import.meta.dirname, "..", "..", "fixtures", "jobs-run", "slurm-rank3-failure");
const NODE0 = "none_kqj9vwpt";
const NODE1 = "none_v94oo5jq";
const root = mkdtempSync(join(tmpdir(), "torchstack-diagnose-wait-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The recorded failure as it looks right after the job ended: node 1's agent table cut by srun, node 1's rank folder not here yet. */
function justFailed(name: string, finishedAgoMs: number): { ctx: BackendContext; record: JobRecord } {
  const dir = join(root, name);
  const ranks = join(dir, "ranks");
  cpSync(join(RECORDED, "ranks", NODE0), join(ranks, NODE0), { recursive: true });
  const TABLE =
    /^1: (?:[=-]{10,}|train\.py FAILED|Failures:|Root Cause.*|\[\d+\]:|\s+(?:time|host|rank|exitcode|error_file|traceback)\s*:.*)$/;
  const output = readFileSync(join(RECORDED, "output.log"), "utf8")
    .split("\n")
    .filter((line) => !TABLE.test(line))
    .join("\n");
  writeFileSync(join(dir, "output.log"), output);
  const env = { TORCHSTACK_STATE_DIR: join(dir, "state") };
  const record: JobRecord = {
    id: `train-20261205-0900${name.length}0-ab12`,
    name: "train",
    target: "slurm",
    schedulerId: "5",
    state: "FAILED",
    reason: "NonZeroExitCode",
    stuck: false,
    exitCode: 1,
    image: "train:lock-1",
    nodes: 2,
    procsPerNode: 2,
    outputFile: join(dir, "output.log"),
    rankLogDir: ranks,
    files: ["train.sbatch"],
    cancelRequested: false,
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    finishedAt: new Date(Date.now() - finishedAgoMs).toISOString(),
  };
  writeJobRecord(env, record);
  const ctx: BackendContext = {
    env,
    run: async () => {
      throw new Error("a final job needs no scheduler");
    },
    progress: () => {},
  };
  return { ctx, record };
}

describe("job diagnose right after a failed job", () => {
  it("waits for a node's rank folder that arrives late, then names rank 3", async () => {
    const { ctx, record } = justFailed("late", 0);
    setTimeout(
      () => cpSync(join(RECORDED, "ranks", NODE1), join(record.rankLogDir, NODE1), { recursive: true }),
      300,
    );
    const result = await diagnoseJobOrFolder(record.id, ctx, { waitMs: 5000, pollMs: 50 });
    expect(result.incomplete).toBeNull();
    expect(result.rootCause).toMatchObject({ rank: 3, node: "ts-slurm-n2", exitCode: 1 });
  });

  it("says which rank files are missing when they never come (bounded wait)", async () => {
    const { ctx, record } = justFailed("never", 0);
    const started = Date.now();
    const result = await diagnoseJobOrFolder(record.id, ctx, { waitMs: 400, pollMs: 50 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.incomplete).toMatchObject({ missingRanks: [2, 3], missing: 2, expected: 4 });
    expect(result.incomplete?.note).toContain(
      `no rank files yet for rank(s) 2, 3 of 4 in ${record.rankLogDir}`,
    );
    expect(result.incomplete?.note).toContain(`torchstack job diagnose ${record.id} again`);
  });

  it("a job that ended long ago is not waited for; the missing ranks are still named", async () => {
    const { ctx, record } = justFailed("old-one", 10 * 60_000);
    const started = Date.now();
    const result = await diagnoseJobOrFolder(record.id, ctx, { waitMs: 5000, pollMs: 50 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.incomplete?.missingRanks).toEqual([2, 3]);
    expect(result.incomplete?.waitedMs).toBeLessThan(2000);
  });

  it("a record that never reached the scheduler (SubmitFailed) is not waited for", async () => {
    const { ctx, record } = justFailed("never-submitted", 0);
    writeJobRecord(ctx.env, { ...record, schedulerId: null, reason: "SubmitFailed: sbatch refused the job" });
    const started = Date.now();
    const result = await diagnoseJobOrFolder(record.id, ctx, { waitMs: 5000, pollMs: 50 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.incomplete).toBeNull();
  });
});
