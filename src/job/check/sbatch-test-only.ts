/**
 * `sbatch --test-only` against the Slurm controller, when one answers: sbatch
 * must be on PATH and `scontrol ping` must report the controller UP, else the
 * check is skipped with the reason. The controller's own rejection (too many
 * nodes, GPUs it lacks, an unknown partition) becomes the failure message.
 */
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { ProcessRunner } from "../../process/run-process.js";
import { type JobCheck, pass, problem, skip } from "./job-check-types.js";

export function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export async function sbatchTestOnly(
  script: string,
  deps: { run: ProcessRunner; env: NodeJS.ProcessEnv },
): Promise<JobCheck> {
  if (!onPath("sbatch", deps.env)) return skip("sbatch", "sbatch is not on PATH: sbatch --test-only skipped");
  const ping = await deps.run("scontrol", ["ping"], { env: deps.env, reject: false, timeoutMs: 10_000 });
  if (ping.exitCode !== 0 || !/\bUP\b/.test(ping.stdout))
    return skip("sbatch", "no Slurm controller answers (scontrol ping): sbatch --test-only skipped");
  const dir = mkdtempSync(join(tmpdir(), "torchstack-sbatch-"));
  try {
    const file = join(dir, "job.sbatch");
    writeFileSync(file, script, { mode: 0o755 });
    const result = await deps.run("sbatch", ["--test-only", file], {
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
