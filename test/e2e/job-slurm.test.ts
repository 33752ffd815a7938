/**
 * Real Slurm jobs on the two-node test cluster (`npm run slurm:setup`): the
 * rendered sbatch script, submitted by `job run`, runs 2 nodes × 2 gloo ranks
 * with host Python; COMPLETED with every rank's lines in `job logs`; an
 * injected rank failure is FAILED and `job diagnose` names that rank and node;
 * `job cancel` ends CANCELLED with no rank left in either node's namespace.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const SLURM_BIN = process.env.TORCHSTACK_SLURM_DIR
  ? join(process.env.TORCHSTACK_SLURM_DIR, "bin")
  : "/var/lib/torchstack-slurm/bin";
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "jobs-run");

function clusterUp(): string | null {
  if (process.env.TORCHSTACK_E2E !== "1") return "TORCHSTACK_E2E is not 1";
  const sinfo = spawnSync(join(SLURM_BIN, "sinfo"), ["-h", "-N", "-o", "%t"], { encoding: "utf8" });
  if (sinfo.status !== 0) return `no test cluster answers (${SLURM_BIN}/sinfo): run npm run slurm:setup`;
  if (
    sinfo.stdout
      .trim()
      .split("\n")
      .filter((s) => /idle|mix|alloc/.test(s)).length < 2
  )
    return "the test cluster has fewer than 2 usable nodes";
  return null;
}

const skip = clusterUp();
if (skip) console.warn(`job-slurm e2e skipped: ${skip}`);

function spec(name: string, env: Record<string, string>): string {
  const lines = [
    `name: ${name}`,
    "base: image:torchstack-local/debian:12",
    "torchSource: distro",
    "cuda: cpu",
    'python: "3.11"',
    "flavor: runtime",
    "user: {name: dev}",
    "run: {gpus: none}",
    "job:",
    "  command: [python3, train.py]",
    "  nodes: 2",
    "  procsPerNode: 2",
    "  gpusPerNode: 2",
    "  port: 29611",
    `  env: ${JSON.stringify(env)}`,
    "  slurm: {container: none}",
  ];
  return `${lines.join("\n")}\n`;
}

describe.skipIf(skip !== null)("job run --target slurm on a real two-node cluster", () => {
  const workspace = mkdtempSync(join(tmpdir(), "ts-job-slurm-"));
  const env: NodeJS.ProcessEnv = {
    PATH: `/usr/bin:/bin:/usr/sbin:/sbin`,
    HOME: workspace,
    TORCHSTACK_STATE_DIR: join(workspace, ".state"),
    TORCHSTACK_SLURM_BIN: SLURM_BIN,
    TORCHSTACK_DEBUG: process.env.TORCHSTACK_DEBUG,
  };
  const cli = (args: string[]) => runCliInMemory(args, { cwd: workspace, env });
  const json = (out: string) => JSON.parse(out) as Record<string, unknown>;

  beforeAll(async () => {
    copyFileSync(join(FIXTURES, "train.py"), join(workspace, "train.py"));
    for (const [file, jobEnv] of [
      ["ok.yaml", {}],
      ["fail.yaml", { FAIL_RANK: "3" }],
      ["sleep.yaml", { SLEEP_S: "300" }],
    ] as const) {
      writeFileSync(join(workspace, file), spec(file.replace(".yaml", "-job"), jobEnv));
      const locked = await cli(["lock", "-f", file, "--json"]);
      expect(locked.code, locked.stderr).toBe(0);
    }
  });

  it("completes 2 nodes × 2 ranks and shows every rank's output in job logs", async () => {
    const run = await cli(["job", "run", "--target", "slurm", "-f", "ok.yaml", "--wait", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = json(run.stdout);
    expect(result).toMatchObject({ ok: true, target: "slurm", state: "COMPLETED" });
    const logs = await cli(["job", "logs", String(result.id)]);
    expect(logs.code, logs.stderr).toBe(0);
    for (const rank of [0, 1, 2, 3])
      expect(logs.stdout).toContain(`[rank ${rank}] rank ${rank}: all_reduce sum 6`);
    expect(logs.stdout).toMatch(/\[rank [23]\] rank [23] of 4 on ts-slurm-n2 up/);
    const only = await cli(["job", "logs", String(result.id), "--rank", "2", "--json"]);
    const lines = json(only.stdout).lines as { rank: number }[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.rank === 2)).toBe(true);
    const status = await cli(["job", "status", String(result.id), "--json"]);
    expect(json(status.stdout)).toMatchObject({ state: "COMPLETED", exitCode: 0 });
  });

  it("fails on an injected rank failure and job diagnose names that rank", async () => {
    const run = await cli(["job", "run", "--target", "slurm", "-f", "fail.yaml", "--wait", "--json"]);
    expect(run.code).toBe(1);
    const id = /job (\S+): FAILED/.exec(run.stderr)?.[1] ?? "";
    expect(id, run.stderr).not.toBe("");
    const status = await cli(["job", "status", id, "--json"]);
    expect(json(status.stdout)).toMatchObject({ state: "FAILED" });
    const diagnosis = await cli(["job", "diagnose", id, "--json"]);
    expect(diagnosis.code, diagnosis.stderr).toBe(0);
    const root = json(diagnosis.stdout).rootCause as Record<string, unknown>;
    expect(root).toMatchObject({ rank: 3, node: "ts-slurm-n2", exitCode: 1 });
    expect(String(root.evidence)).toContain("injected failure on rank 3");
  });

  it("cancels a running job: CANCELLED and nothing left on either node", async () => {
    const run = await cli(["job", "run", "--target", "slurm", "-f", "sleep.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const id = String(json(run.stdout).id);
    for (let i = 0; i < 60; i += 1) {
      const logs = readFileSync(join(env.TORCHSTACK_STATE_DIR ?? "", "jobs", id, "output.log"), {
        encoding: "utf8",
        flag: "a+",
      });
      if ((logs.match(/ up$/gm) ?? []).length >= 4) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    const cancel = await cli(["job", "cancel", id, "--json"]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(json(cancel.stdout)).toMatchObject({ state: "CANCELLED" });
    for (let i = 0; i < 20; i += 1) {
      const left = ["ts-slurm-n1", "ts-slurm-n2"].flatMap((ns) => {
        const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" })
          .stdout.trim()
          .split("\n")
          .filter(Boolean);
        return pids.filter((pid) =>
          /train\.py|torch\.distributed\.run/.test(
            readFileSync(`/proc/${pid}/cmdline`, { encoding: "utf8", flag: "r" }).replace(/\0/g, " "),
          ),
        );
      });
      if (left.length === 0) return;
      await new Promise((done) => setTimeout(done, 500));
    }
    throw new Error("ranks still running after job cancel");
  });
});
