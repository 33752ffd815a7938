/**
 * `job run` never asks which target it has: every difference between local, Slurm and Kubernetes
 * (workspace rule, OCI bundle, rank folder and owner, ulimits, saved files, first record, submit …)
 * belongs to the target's backend (src/job/run/*-backend.ts), so a new target is a new backend.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const TARGET_BRANCH =
  /\btarget\s*[!=]==|[!=]==\s*"(?:local|slurm|kubernetes)"|case\s+"(?:local|slurm|kubernetes)"|\.(?:slurm|kubernetes)\./g;

describe("runJob", () => {
  it("recognises a branch on the target", () => {
    for (const line of [
      'if (input.target === "local")',
      'input.target !== "kubernetes" && x',
      'case "slurm":',
      'input.job.slurm.container === "oci"',
    ])
      expect(line.match(TARGET_BRANCH), line).not.toBeNull();
  });

  it("does not branch on the target: it only calls the chosen backend", () => {
    const source = readFileSync(join(import.meta.dirname, "job-run.ts"), "utf8");
    expect(source.match(TARGET_BRANCH) ?? []).toEqual([]);
  });
});
