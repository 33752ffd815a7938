import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sbatchTestOnly } from "../../../../src/job/check/sbatch-test-only.js";
import { type ProcessResult, type ProcessRunner, runProcess } from "../../../../src/process/run-process.js";

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
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

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

/** The project's two-node test cluster (`npm run slurm:setup`), when it runs on this machine. */
const SLURM_BIN = process.env.TORCHSTACK_SLURM_DIR
  ? join(process.env.TORCHSTACK_SLURM_DIR, "bin")
  : "/var/lib/torchstack-slurm/bin";
const clusterEnv = { PATH: "/usr/bin:/bin", TORCHSTACK_SLURM_BIN: SLURM_BIN };
const clusterUp =
  process.env.TORCHSTACK_E2E === "1" &&
  spawnSync(join(SLURM_BIN, "scontrol"), ["ping"], { encoding: "utf8" }).stdout?.includes("UP");

describe.skipIf(!clusterUp)("sbatch --test-only against the real test cluster", () => {
  const script = (nodes: number, gpus: number) =>
    `#!/bin/bash\n#SBATCH --nodes=${nodes}\n#SBATCH --ntasks-per-node=1\n#SBATCH --gpus-per-node=${gpus}\nsrun true\n`;

  it("accepts what the cluster has and names the nodes it would use", async () => {
    const check = await sbatchTestOnly(script(2, 2), { run: runProcess, env: clusterEnv });
    expect(check.status, check.message).toBe("pass");
    expect(check.message).toMatch(/to start at .* on nodes/);
  });

  it("surfaces the controller's own rejection: more nodes or GPUs than exist", async () => {
    for (const [nodes, gpus] of [
      [3, 0],
      [2, 4],
    ] as const) {
      const check = await sbatchTestOnly(script(nodes, gpus), { run: runProcess, env: clusterEnv });
      expect(check).toMatchObject({ status: "fail", code: "E_JOB_SBATCH_REJECTED" });
      expect(check.message).toMatch(/Requested node configuration is not available|error/i);
    }
  });
});
