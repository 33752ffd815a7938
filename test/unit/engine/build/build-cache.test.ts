/**
 * `gc --build-cache`: docker's report of what a prune freed, read into bytes; and
 * a real prune against this engine limited to cache older than ten years (so it
 * frees nothing another build needs), when TORCHSTACK_E2E is set.
 */
import { describe, expect, it } from "vitest";
import { parseReclaimed, pruneBuildCache } from "../../../../src/engine/build/build-cache.js";
import { runProcess } from "../../../../src/process/run-process.js";

describe("the build cache", () => {
  it("reads docker's 'Total reclaimed space' (docker 28 client, 2026-12-05)", () => {
    expect(
      parseReclaimed("ID\tRECLAIMABLE\tSIZE\nabc\ttrue\t2.8GB\nTotal reclaimed space: 2.843GB\n"),
    ).toEqual({
      freed: "2.843GB",
      bytes: 2_843_000_000,
    });
    expect(parseReclaimed("Total:\t614.7MB")).toMatchObject({ bytes: 614_700_000 });
    expect(parseReclaimed("Total reclaimed space: 0B")).toEqual({ freed: "0B", bytes: 0 });
  });

  it.skipIf(!process.env.TORCHSTACK_E2E)(
    "prunes the engine's cache mounts and says how much it freed",
    async () => {
      const pruned = await pruneBuildCache(runProcess, process.env, { olderThan: "87600h" });
      expect(pruned.freed).toMatch(/^[\d.]+[kMGT]?B$/);
    },
  );
});
