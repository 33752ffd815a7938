/**
 * `job run` makes the checks `job check` makes before it acts: a FAIL stops it
 * with nothing written or queued (no record, no folder, no scheduler call), and
 * a missing workspace is never created, with or without --no-check.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

describe("job run checks before it acts", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-job-run-checks-"));
  const calls = join(root, "calls.log");
  // A scheduler tool that records being called: none of these runs may reach it.
  const standIn = join(root, "stand-in");
  const env = {
    TORCHSTACK_STATE_DIR: join(root, "state"),
    PATH: "/nonexistent",
    DOCKER_HOST: "unix:///nonexistent.sock",
    TORCHSTACK_KUBECTL: standIn,
    TORCHSTACK_DOCKER_CLI: standIn,
  };
  const cli = (...args: string[]) => runCliInMemory(args, { cwd: root, env });
  const spec = (container: string) =>
    [
      "name: train",
      "base: image:torchstack-local/debian:12",
      "torchSource: distro",
      "cuda: cpu",
      'python: "3.11"',
      "job:",
      "  command: [python3, train.py]",
      "  nodes: 1",
      "  procsPerNode: 2",
      "  shm: 1g",
      `  slurm: {container: ${container}}`,
      "",
    ].join("\n");

  beforeAll(async () => {
    // Reads (kubectl config/get for CRDs, docker image inspect) find no cluster and no image; anything else is recorded.
    writeFileSync(
      standIn,
      `#!/bin/sh\ncase "$1" in config|get|image) exit 1 ;; esac\necho "$0 $*" >> ${calls}\nexit 0\n`,
    );
    chmodSync(standIn, 0o755);
    writeFileSync(join(root, "torchstack.yaml"), spec("none"));
    writeFileSync(join(root, "pyxis.yaml"), spec("pyxis"));
    writeFileSync(join(root, "train.py"), "print('hi')\n");
    for (const file of ["torchstack.yaml", "pyxis.yaml"])
      expect((await cli("lock", "-f", file)).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const nothingHappened = () => {
    expect(existsSync(calls), existsSync(calls) ? readFileSync(calls, "utf8") : "").toBe(false);
    expect(existsSync(join(env.TORCHSTACK_STATE_DIR, "jobs"))).toBe(false);
  };

  it("a mistyped --workspace is refused and never created", async () => {
    const run = await cli("job", "run", "--target", "local", "--workspace", "nonexist", "--json");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("E_JOB_WORKSPACE_MISSING");
    expect(run.stderr).toContain(`the workspace ${join(root, "nonexist")} does not exist`);
    expect(run.stderr).toContain("--no-check");
    expect(existsSync(join(root, "nonexist"))).toBe(false);
    nothingHappened();
  });

  it("--no-check skips the checks, but still never creates the workspace", async () => {
    const run = await cli(
      "job",
      "run",
      "--target",
      "slurm",
      "--workspace",
      "nonexist",
      "--no-check",
      "--json",
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe("E_JOB_WORKSPACE_MISSING");
    expect(existsSync(join(root, "nonexist"))).toBe(false);
    nothingHappened();
  });

  it("Kubernetes and Slurm (pyxis) with an image only this machine has: E_JOB_IMAGE_LOCAL, nothing submitted", async () => {
    for (const args of [
      ["--target", "kubernetes", "--flavor", "jobset"],
      ["--target", "slurm", "-f", "pyxis.yaml"],
    ]) {
      const run = await cli("job", "run", ...args, "--json");
      expect(run.code, run.stderr).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.code).toBe("E_JOB_IMAGE_LOCAL");
      expect(error.message).toContain("exists only on this machine");
      // The fixes carry the user's own arguments.
      const spec = join(root, args.includes("pyxis.yaml") ? "pyxis.yaml" : "torchstack.yaml");
      const own = ["torchstack job check", ...args.filter((a) => a !== "-f" && !a.endsWith(".yaml"))];
      expect(error.remedies).toContain(`every check: ${own.join(" ")} -f ${spec}`);
      expect(error.remedies.at(-1)).toMatch(/^or run it anyway: torchstack job run .*--no-check$/);
      nothingHappened();
    }
  });
});
