import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProcessResult, ProcessRunner } from "../../process/run-process.js";
import { sbatchTestOnly } from "./sbatch-test-only.js";

function fakeRunner(answers: Record<string, Partial<ProcessResult>>): {
  run: ProcessRunner;
  calls: string[][];
} {
  const calls: string[][] = [];
  const run: ProcessRunner = async (file, args) => {
    calls.push([file, ...args]);
    const answer = answers[file] ?? { exitCode: 127 };
    return {
      command: [file, ...args],
      exitCode: 0,
      signal: null,
      stdout: "",
      stderr: "",
      timedOut: false,
      ...answer,
    };
  };
  return { run, calls };
}

/** A PATH holding a stand-in `sbatch` (only its presence on PATH is looked at; the fake runner answers). */
const bin = mkdtempSync(join(tmpdir(), "torchstack-sbatch-bin-"));
writeFileSync(join(bin, "sbatch"), "#!/bin/sh\nexit 99\n", { mode: 0o755 });
const PATH_WITH_SBATCH = { PATH: bin };

describe("sbatch --test-only", () => {
  it("is skipped, and says so, without sbatch on PATH", async () => {
    const { run, calls } = fakeRunner({});
    const check = await sbatchTestOnly("#!/bin/bash\n", { run, env: { PATH: "/nonexistent" } });
    expect(check).toMatchObject({ status: "skip" });
    expect(check.message).toContain("not on PATH");
    expect(calls).toEqual([]);
  });

  it("is skipped when no controller answers scontrol ping", async () => {
    const { run } = fakeRunner({ scontrol: { exitCode: 1, stdout: "Slurmctld(primary) at ctl is DOWN" } });
    const check = await sbatchTestOnly("#!/bin/bash\n", { run, env: PATH_WITH_SBATCH });
    expect(check).toMatchObject({ status: "skip" });
    expect(check.message).toContain("no Slurm controller answers");
  });

  it("turns the controller's rejection into a failure with its words", async () => {
    const { run, calls } = fakeRunner({
      scontrol: { stdout: "Slurmctld(primary) at ctl is UP\n" },
      sbatch: {
        exitCode: 1,
        stderr: "sbatch: error: Batch job submission failed: Requested node configuration is not available\n",
      },
    });
    const check = await sbatchTestOnly("#!/bin/bash\n#SBATCH --nodes=9\n", { run, env: PATH_WITH_SBATCH });
    expect(check).toMatchObject({ status: "fail", code: "E_JOB_SBATCH_REJECTED" });
    expect(check.message).toContain("Requested node configuration is not available");
    expect(calls.at(-1)?.slice(0, 2)).toEqual(["sbatch", "--test-only"]);
  });
});
