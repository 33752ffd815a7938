/**
 * How `job run --wait` ends when the user stopped the job: Ctrl-C is
 * E_INTERRUPTED with exit 130, and a job cancelled with `job cancel` is said
 * so; neither points at `job diagnose`. Against stand-in Slurm tools.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../../src/cli/run-cli.js";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const root = mkdtempSync(join(tmpdir(), "torchstack-job-run-ends-"));
const bin = join(root, "bin");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** sbatch answers job 42; squeue and scontrol report the state in $STATE. */
function standInSlurm(): void {
  mkdirSync(bin);
  const tools: Record<string, string> = {
    sbatch: "echo 42",
    squeue: 'echo "$STATE|None"',
    scontrol: 'echo "JobId=42 JobState=$STATE Reason=None ExitCode=0:15"',
  };
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
}

async function run(state: string, abortAfterMs?: number) {
  const env = {
    TORCHSTACK_STATE_DIR: join(root, `state-${state}`),
    TORCHSTACK_SLURM_BIN: bin,
    PATH: "/usr/bin:/bin",
    STATE: state,
  };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const controller = new AbortController();
  if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
  const argv = ["job", "run", "--target", "slurm", "--wait", "--no-check", "--json"];
  const code = await runCli({ argv, cwd: root, env, stdout, stderr, signal: controller.signal });
  return { code, stdout: out, stderr: err };
}

describe("job run --wait for a job the user stopped", () => {
  beforeAll(async () => {
    standInSlurm();
    writeFileSync(
      join(root, "torchstack.yaml"),
      'name: train\nbase: image:torchstack-local/debian:12\ntorchSource: distro\ncuda: cpu\npython: "3.11"\n' +
        "job: {command: [python3, train.py], nodes: 2, procsPerNode: 2, shm: 1g}\n",
    );
    expect((await runCliInMemory(["lock"], { cwd: root, env: { PATH: "/nonexistent" } })).code).toBe(0);
  });

  it("Ctrl-C while waiting: E_INTERRUPTED, exit 130, the job's status and cancel, no diagnose", async () => {
    const result = await run("RUNNING", 300);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("E_INTERRUPTED: stopped waiting; job train-");
    expect(result.stderr).toMatch(/torchstack job cancel train-\S+/);
    expect(result.stderr).not.toContain("job diagnose");
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, state: "RUNNING" });
  });

  it("cancelled with job cancel: said so, exit 1, no diagnose", async () => {
    const result = await run("CANCELLED");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("it was cancelled (torchstack job cancel), not a failure to diagnose");
    expect(result.stderr).not.toContain("job diagnose");
  });
});
