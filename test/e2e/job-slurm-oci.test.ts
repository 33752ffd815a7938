/**
 * The same image on Slurm: `container: oci` on the real two-node test cluster
 * (`npm run slurm:setup`, whose oci.conf runs bundles with runc). `job run`
 * exports the lock's image once into an OCI bundle in the shared workspace,
 * and `srun --container` runs torchrun from the image on both nodes, as the
 * image's non-root user with each node's own network: 2 nodes × 2 gloo ranks
 * end COMPLETED, every rank says it ran inside the image, and a second run
 * reuses the bundle.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const SLURM_DIR = process.env.TORCHSTACK_SLURM_DIR ?? "/var/lib/torchstack-slurm";
const SLURM_BIN = join(SLURM_DIR, "bin");
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "jobs-run");

function ready(): string | null {
  if (process.env.TORCHSTACK_E2E !== "1") return "TORCHSTACK_E2E is not 1";
  if (spawnSync("docker", ["info"], { stdio: "ignore" }).status !== 0)
    return "no Docker engine answers: run npm run engine:setup";
  const sinfo = spawnSync(join(SLURM_BIN, "sinfo"), ["-h", "-N", "-o", "%t"], { encoding: "utf8" });
  if (sinfo.status !== 0) return `no test cluster answers (${SLURM_BIN}/sinfo): run npm run slurm:setup`;
  if (!existsSync(join(SLURM_DIR, "etc", "oci.conf")))
    return "the test cluster has no oci.conf: run npm run slurm:setup";
  return null;
}

const skip = ready();
if (skip) console.warn(`job-slurm-oci e2e skipped: ${skip}`);

const SPEC = [
  "name: oci-job",
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
  "  shm: 256m",
  "  port: 29641",
  '  env: {SHOW_IMAGE: "1"}',
  "  slurm: {container: oci}",
  "",
].join("\n");

describe.skipIf(skip !== null)("job run --target slurm with container: oci (the image on every node)", () => {
  const workspace = mkdtempSync(join(tmpdir(), "ts-job-oci-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: workspace,
    TORCHSTACK_STATE_DIR: join(workspace, ".state"),
    TORCHSTACK_SLURM_BIN: SLURM_BIN,
    DOCKER_BUILDKIT: "1",
  };
  const cli = (args: string[]) => runCliInMemory(args, { cwd: workspace, env });
  const json = (out: string) => JSON.parse(out) as Record<string, unknown>;

  beforeAll(async () => {
    chmodSync(workspace, 0o755); // the ranks run as the image's user (uid 1000)
    copyFileSync(join(FIXTURES, "train.py"), join(workspace, "train.py"));
    writeFileSync(join(workspace, "torchstack.yaml"), SPEC);
    const built = await cli(["build", "--network", "host", "--json"]);
    expect(built.code, built.stderr).toBe(0);
  });

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it("job check passes the image: job run exports it, no registry needed", async () => {
    const check = await cli(["job", "check", "--target", "slurm", "--json"]);
    const checks = json(check.stdout).checks as { id: string; status: string }[];
    expect(checks.find((c) => c.id === "image")).toMatchObject({ status: "pass" });
  });

  it("completes 2 nodes × 2 ranks inside the image as its non-root user", async () => {
    const run = await cli(["job", "run", "--target", "slurm", "--wait", "--json"]);
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    expect(run.stderr).toContain("into the OCI bundle");
    const result = json(run.stdout);
    expect(result).toMatchObject({ ok: true, target: "slurm", state: "COMPLETED" });
    const logs = await cli(["job", "logs", String(result.id)]);
    for (const rank of [0, 1, 2, 3]) {
      expect(logs.stdout).toContain(
        `[rank ${rank}] rank ${rank} in image True as uid 1000 for job ${result.id}`,
      );
      expect(logs.stdout).toContain(`[rank ${rank}] rank ${rank}: all_reduce sum 6`);
    }
    expect(logs.stdout).toMatch(/\[rank [23]\] rank [23] of 4 on ts-slurm-n2 up/);
  });

  it("a second run reuses the bundle and leaves no container behind", async () => {
    const run = await cli(["job", "run", "--target", "slurm", "--wait", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/OCI bundle \S+ holds \S+ already/);
    const left = spawnSync("runc", ["--root=/run/torchstack-runc", "list", "-q"], { encoding: "utf8" });
    expect(left.stdout.trim()).toBe("");
  });
});
