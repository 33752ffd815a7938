import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderJob } from "../../../../src/job/render/render-job.js";
import { inputFor, SMALL_JOB } from "./job-fixtures.test-support.js";

const dir = mkdtempSync(join(tmpdir(), "torchstack-requeue-"));
const log = join(dir, "scontrol.log");
// Stand-ins for the batch step: srun fails with 3, scontrol names one host and logs a requeue.
writeFileSync(join(dir, "srun"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
writeFileSync(
  join(dir, "scontrol"),
  `#!/bin/sh\nif [ "$1" = show ]; then echo n1; else echo "$*" >> ${log}; fi\n`,
  { mode: 0o755 },
);

function runScript(script: string, restartCount: number) {
  rmSync(log, { force: true });
  const result = spawnSync("bash", ["-c", script], {
    env: {
      PATH: `${dir}:/usr/bin:/bin`,
      SLURM_JOB_ID: "42",
      SLURM_JOB_NODELIST: "n1",
      SLURM_RESTART_COUNT: String(restartCount),
    },
    encoding: "utf8",
  });
  let requeued = "";
  try {
    requeued = readFileSync(log, "utf8");
  } catch {}
  return { status: result.status, requeued, stderr: result.stderr };
}

describe("slurm: job-level requeue with a retry limit", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (requeue: number) =>
    renderJob(inputFor({ ...SMALL_JOB, slurm: { requeue } }, { target: "slurm" })).files[0]?.content ?? "";

  it("renders --requeue before the first command, and nothing without the key", () => {
    expect(script(2)).toContain("#SBATCH --requeue\n#SBATCH --open-mode=append\n");
    expect(spawnSync("bash", ["-n"], { input: script(2) }).status).toBe(0);
    expect(script(0)).not.toContain("requeue");
  });

  it("a failed step requeues the job while SLURM_RESTART_COUNT is below the limit, then fails with the step's status", () => {
    const first = runScript(script(2), 0);
    expect(first.requeued).toBe("requeue 42\n");
    expect(first.stderr).toContain("attempt 1 of 3 failed (exit 3): requeueing job 42");
    expect(first.status).toBe(3);
    const last = runScript(script(2), 2);
    expect(last.requeued).toBe("");
    expect(last.status).toBe(3);
  });
});
