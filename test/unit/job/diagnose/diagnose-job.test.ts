import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnoseJob, exceptionLine } from "../../../../src/job/diagnose/diagnose-job.js";
import { parseRankStream } from "../../../../src/job/diagnose/rank-stream.js";
import { isCollateral, pickRootCause } from "../../../../src/job/diagnose/root-cause.js";
import { parseAgentFailures } from "../../../../src/job/diagnose/torchrun-summary.js";

const RECORDED = join(import.meta.dirname, "..", "..", "..", "fixtures", "jobs-run", "slurm-rank3-failure");

describe("the rank stream", () => {
  it("labels each line with its node and global rank", () => {
    const lines = parseRankStream(
      [
        "0: [default1]:hello",
        "1: [default0]:world",
        "1: INFO: agent",
        "srun: error: n2: task 1: Exited",
        "[pod/job-node-0-1-abcde/node] [rank5]: x",
      ].join("\n"),
      2,
    );
    expect(lines.map(({ node, rank, text }) => [node, rank, text])).toEqual([
      [0, 1, "hello"],
      [1, 2, "world"],
      [1, null, "INFO: agent"],
      [null, null, "srun: error: n2: task 1: Exited"],
      [1, 5, "x"],
    ]);
  });
});

describe("torchrun's failure tables", () => {
  it("reads time, host, rank and exit code of every entry", () => {
    const lines = parseRankStream(
      [
        "1: Failures:",
        "1: [1]:",
        "1:   time      : 2026-12-01_08:34:47",
        "1:   host      : ts-slurm-n2",
        "1:   rank      : 3 (local_rank: 1)",
        "1:   exitcode  : -9 (pid: 7)",
        "1:   traceback : Signal 9 (SIGKILL) received by PID 7",
        "1: ------------------------------------------------------------",
      ].join("\n"),
      2,
    );
    expect(parseAgentFailures(lines)).toEqual([
      expect.objectContaining({
        node: 1,
        host: "ts-slurm-n2",
        rank: 3,
        localRank: 1,
        exitCode: -9,
        signal: "SIGKILL",
      }),
    ]);
  });
});

describe("the root cause", () => {
  it("is the first non-collateral failure, not the first to be reported", () => {
    const root = pickRootCause([
      {
        rank: 0,
        node: "a",
        exitCode: 1,
        evidence: "RuntimeError: Connection closed by peer [192.0.2.2]:1",
        timeMs: 1000,
        order: 1,
      },
      { rank: 3, node: "b", exitCode: 1, evidence: "RuntimeError: injected", timeMs: 2000, order: 9 },
    ]);
    expect(root).toEqual({ rank: 3, node: "b", exitCode: 1, evidence: "RuntimeError: injected" });
    expect(isCollateral("Signal 15 (SIGTERM) received by PID 3")).toBe(true);
  });

  it("falls back to time order when every failure looks collateral", () => {
    const root = pickRootCause([
      { rank: 2, node: "b", exitCode: 1, evidence: "Connection reset by peer", timeMs: 5, order: 3 },
      { rank: 1, node: "a", exitCode: 1, evidence: "Connection reset by peer", timeMs: 3, order: 7 },
    ]);
    expect(root?.rank).toBe(1);
  });

  it("takes the exception line of a traceback as evidence", () => {
    expect(exceptionLine("Traceback (most recent call last):\n  File x\nValueError: bad label 7\n")).toBe(
      "ValueError: bad label 7",
    );
  });
});

describe("job diagnose on a recorded Slurm job (2 nodes × 2 ranks, rank 3 raised)", () => {
  it("names rank 3 on ts-slurm-n2, though torchrun's own tables point at rank 0 and rank 2", () => {
    const result = diagnoseJob({
      output: readFileSync(join(RECORDED, "output.log"), "utf8"),
      rankLogDir: join(RECORDED, "ranks"),
      procsPerNode: 2,
    });
    expect(result.rootCause).toEqual({
      rank: 3,
      node: "ts-slurm-n2",
      exitCode: 1,
      evidence: "RuntimeError: injected failure on rank 3",
    });
    expect(result.findings[0]).toMatchObject({ code: "E_JOB_RANK_FAILED", rank: 3, node: "ts-slurm-n2" });
  });

  it("still names rank 3 when srun ended node 1's agent before it printed its failure table", () => {
    // The race behind a null root cause: after torchrun's exit barrier both agents print their tables and exit;
    // when node 0's agent exits first, srun --kill-on-bad-exit terminates node 1's agent mid-print, so the
    // output has node 1's traceback up to "ChildFailedError:" but no table naming rank 3 (and srun says
    // "task 1: Terminated"). Rank 3's own stderr file still says what happened.
    const TABLE =
      /^1: (?:[=-]{10,}|train\.py FAILED|Failures:|Root Cause.*|\[\d+\]:|\s+(?:time|host|rank|exitcode|error_file|traceback)\s*:.*)$/;
    const output = readFileSync(join(RECORDED, "output.log"), "utf8")
      .split("\n")
      .filter((line) => !TABLE.test(line))
      .join("\n");
    expect(output).toContain("1: torch.distributed.elastic.multiprocessing.errors.ChildFailedError:");
    expect(output).not.toContain("rank      : 3");
    const result = diagnoseJob({ output, rankLogDir: join(RECORDED, "ranks"), procsPerNode: 2 });
    expect(result.rootCause).toEqual({
      rank: 3,
      node: "ts-slurm-n2",
      exitCode: 1,
      evidence: "RuntimeError: injected failure on rank 3",
    });
  });

  it("a terminated agent's SignalException is collateral, not a root cause", () => {
    expect(
      isCollateral("torch.distributed.elastic.multiprocessing.api.SignalException: Process 7 got signal: 15"),
    ).toBe(true);
    expect(isCollateral("torch.distributed.elastic.multiprocessing.errors.ChildFailedError:")).toBe(true);
  });

  it("names a node whose launcher failed at the rendezvous when no rank ran", () => {
    const output = [
      "0: RuntimeError: Socket Timeout",
      "srun: error: ts-slurm-n1: task 0: Exited with exit code 1",
    ].join("\n");
    const result = diagnoseJob({ output, rankLogDir: null, procsPerNode: 2 });
    expect(result.rootCause).toMatchObject({
      rank: null,
      node: "ts-slurm-n1",
      exitCode: 1,
      evidence: "RuntimeError: Socket Timeout",
    });
    expect(result.findings.map((f) => f.code)).toEqual(["E_JOB_NODE_FAILED", "E_RENDEZVOUS_TIMEOUT"]);
  });
});
