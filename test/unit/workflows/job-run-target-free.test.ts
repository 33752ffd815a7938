/**
 * `job run`, `job status`, `job cancel` and `job diagnose` never ask which target they have: every difference
 * (workspace rule, OCI bundle, rank folder and owner, ulimits, saved files, first record, submit …)
 * belongs to the target's backend (src/job/run/*-backend.ts), so a new target is a new backend.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const WORKFLOWS = join(import.meta.dirname, "../../../src/workflows");

const TARGET_BRANCH =
  /\btarget\s*[!=]==|[!=]==\s*"(?:local|slurm|kubernetes)"|case\s+"(?:local|slurm|kubernetes)"|\.(?:slurm|kubernetes)\./g;

describe("runJob and the job commands after it", () => {
  it("recognises a branch on the target", () => {
    for (const line of [
      'if (input.target === "local")',
      'input.target !== "kubernetes" && x',
      'case "slurm":',
      'input.job.slurm.container === "oci"',
    ])
      expect(line.match(TARGET_BRANCH), line).not.toBeNull();
  });

  it("does not branch on the target: it only calls the chosen backend (nor do status, cancel, logs, diagnose)", () => {
    for (const file of ["job-run.ts", "job-run-manage.ts"]) {
      const source = readFileSync(join(WORKFLOWS, file), "utf8");
      expect(source.match(TARGET_BRANCH) ?? [], file).toEqual([]);
    }
  });
});
