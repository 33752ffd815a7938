/**
 * `sbatch --test-only` against the Slurm controller, when one answers: sbatch
 * must be found (in $TORCHSTACK_SLURM_BIN, else on PATH, as `job run` finds
 * it) and `scontrol ping` must report the controller UP, else the
 * check is skipped with the reason. The controller's own rejection (too many
 * nodes, GPUs it lacks, an unknown partition) becomes the failure message.
 */
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { ProcessRunner } from "../../process/run-process.js";
import { slurmTool } from "../run/slurm-tools.js";
import { type JobCheck, pass, problem, skip } from "./job-check-types.js";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The program is runnable: a path given outright, or a name found on PATH. */
export function findable(program: string, env: NodeJS.ProcessEnv): boolean {
  if (program.includes("/")) return executable(program);
  return (env.PATH ?? "").split(delimiter).some((dir) => executable(join(dir, program)));
}

export async function sbatchTestOnly(
  script: string,
  deps: { run: ProcessRunner; env: NodeJS.ProcessEnv },
): Promise<JobCheck> {
  const sbatch = slurmTool(deps.env, "sbatch");
  if (!findable(sbatch, deps.env))
    return skip(
      "sbatch",
      `${sbatch} is not on PATH (nor in TORCHSTACK_SLURM_BIN): sbatch --test-only skipped`,
    );
  const ping = await deps.run(slurmTool(deps.env, "scontrol"), ["ping"], {
    env: deps.env,
    reject: false,
    timeoutMs: 10_000,
  });
  if (ping.exitCode !== 0 || !/\bUP\b/.test(ping.stdout))
    return skip("sbatch", "no Slurm controller answers (scontrol ping): sbatch --test-only skipped");
  const dir = mkdtempSync(join(tmpdir(), "torchstack-sbatch-"));
  try {
    const file = join(dir, "job.sbatch");
    writeFileSync(file, script, { mode: 0o755 });
    const result = await deps.run(sbatch, ["--test-only", file], {
      cwd: dir,
      env: deps.env,
      reject: false,
      timeoutMs: 30_000,
    });
    const said = `${result.stderr}${result.stdout}`.trim().replace(/\s+/g, " ");
    if (result.exitCode === 0) return pass("sbatch", `sbatch --test-only: ${said}`);
    return problem("fail", "sbatch", "E_JOB_SBATCH_REJECTED", `the controller rejected the script: ${said}`, [
      "fit job.nodes, job.gpusPerNode and job.slurm to the cluster: sinfo -o '%P %D %G %l'",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
