/**
 * `job run --target local` for real: torchrun with 2 gloo ranks on the CPU in a
 * fresh container of the example image (Debian 12's torch 1.13; built here when
 * missing, with the layer cache the engine tests leave). The job runs in the
 * foreground and ends COMPLETED with both ranks' lines in `job logs`; a failing
 * rank ends FAILED (exit 1) and `job diagnose` names it (its FAIL_RANK reaches the ranks by name only). In a
 * workspace of another owner (a uid with no account, as root runs it on many GPU hosts) the ranks run as that
 * owner, whose rank logs are theirs to read, in a folder no other local user can open.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { asUser, canSwitchUser, OTHER_USER, VICTIM } from "../support/as-local-user.js";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "jobs-run");

function engineUp(): string | null {
  if (process.env.TORCHSTACK_E2E !== "1") return "TORCHSTACK_E2E is not 1";
  if (spawnSync("docker", ["info"], { stdio: "ignore" }).status !== 0)
    return "no Docker engine answers: run npm run engine:setup";
  return null;
}

const skip = engineUp();
if (skip) console.warn(`job-local e2e skipped: ${skip}`);

function spec(name: string, env: Record<string, string>): string {
  return [
    `name: ${name}`,
    "base: image:torchstack-local/debian:12",
    "torchSource: distro",
    "cuda: cpu",
    'python: "3.11"',
    "flavor: runtime",
    "apps: {jupyter: true, ssh: true}",
    "user: {name: dev}",
    "run: {gpus: none}",
    "job:",
    "  command: [python3, train.py]",
    "  procsPerNode: 2",
    "  shm: 1g",
    "  port: 29631",
    `  env: ${JSON.stringify(env)}`,
    "",
  ].join("\n");
}

describe.skipIf(skip !== null)("job run --target local in the example image", () => {
  const workspace = mkdtempSync(join(tmpdir(), "ts-job-local-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: workspace,
    TORCHSTACK_STATE_DIR: join(workspace, ".state"),
    DOCKER_BUILDKIT: "1",
  };
  const cli = (args: string[]) => runCliInMemory(args, { cwd: workspace, env });

  beforeAll(async () => {
    chmodSync(workspace, 0o755); // others may look in; the rank folders stay the owner's
    copyFileSync(join(FIXTURES, "train.py"), join(workspace, "train.py"));
    writeFileSync(join(workspace, "ok.yaml"), spec("local-job", {}));
    writeFileSync(join(workspace, "fail.yaml"), spec("local-job", { FAIL_RANK: "1" }));
    for (const file of ["ok.yaml", "fail.yaml"]) {
      const built = await cli(["build", "-f", file, "--network", "host", "--json"]);
      expect(built.code, built.stderr).toBe(0);
    }
  });

  it("runs 2 ranks in the foreground to COMPLETED, with both ranks in job logs", async () => {
    const run = await cli(["job", "run", "--target", "local", "-f", "ok.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; state: string; target: string };
    expect(result).toMatchObject({ ok: true, target: "local", state: "COMPLETED" });
    const logs = await cli(["job", "logs", result.id]);
    expect(logs.stdout).toContain("[rank 0] rank 0: all_reduce sum 1");
    expect(logs.stdout).toContain("[rank 1] rank 1: all_reduce sum 1");
    const list = await cli(["job", "list", "--json"]);
    expect(JSON.parse(list.stdout).jobs[0]).toMatchObject({ id: result.id, state: "COMPLETED" });
    expect(
      spawnSync("docker", ["ps", "-aq", "--filter", `name=torchstack-job-${result.id}`], {
        encoding: "utf8",
      }).stdout.trim(),
    ).toBe("");
  });

  it("ends FAILED with exit 1 when a rank raises, and job diagnose names the rank", async () => {
    const run = await cli(["job", "run", "--target", "local", "-f", "fail.yaml", "--json"]);
    expect(run.code).toBe(1);
    const failed = JSON.parse(run.stdout) as { ok: boolean; id: string; state: string };
    expect(failed).toMatchObject({ ok: true, state: "FAILED" }); // the JSON keeps its shape; the exit code says it failed
    const id = failed.id;
    const diagnosis = await cli(["job", "diagnose", id, "--json"]);
    expect(JSON.parse(diagnosis.stdout).rootCause).toMatchObject({
      rank: 1,
      exitCode: 1,
      evidence: "RuntimeError: injected failure on rank 1",
    });
  });

  it.skipIf(!canSwitchUser)(
    "runs the ranks as the workspace owner, who can read their rank logs",
    async () => {
      // The user's own workspace, as they would have it: the earlier jobs here ran while root owned it.
      rmSync(join(workspace, ".torchstack"), { recursive: true, force: true });
      chownSync(workspace, VICTIM, VICTIM);
      const run = await cli(["job", "run", "--target", "local", "-f", "ok.yaml", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const { id } = JSON.parse(run.stdout) as { id: string };
      const ranks = join(workspace, ".torchstack", "jobs", id, "ranks");
      expect(statSync(ranks).uid).toBe(VICTIM);
      expect(statSync(ranks).mode & 0o777).toBe(0o700);
      const logs = asUser(VICTIM, ["sh", "-c", `cat $(find ${ranks} -name stdout.log)`]);
      expect(logs.stdout).toContain("all_reduce sum 1");
      expect(asUser(OTHER_USER, ["ls", ranks]).status).not.toBe(0);
      const removed = asUser(VICTIM, ["rm", "-r", join(workspace, ".torchstack")]);
      expect(removed.status, removed.stderr).toBe(0);
    },
  );
});
