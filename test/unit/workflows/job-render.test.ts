import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { readLock, writeLock } from "../../../src/lock/lock-file.js";
import { jobImageFromLock, registryOf } from "../../../src/workflows/job-render-input.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const JOB = `job:
  command: [python3, train.py]
  nodes: 2
  procsPerNode: 2
  shm: 1g
  kubernetes: {namespace: ml}
`;

describe("job render and job check through the CLI", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-job-render-"));
  const spec = join(root, "torchstack.yaml");
  const env = {
    TORCHSTACK_STATE_DIR: join(root, "state"),
    PATH: "/nonexistent",
    DOCKER_HOST: "unix:///nonexistent.sock",
  };
  const cli = (...args: string[]) => runCliInMemory(args, { cwd: root, env });

  beforeAll(async () => {
    writeFileSync(
      spec,
      `name: train\nbase: image:torchstack-local/debian:12\ntorchSource: distro\ncuda: cpu\npython: "3.11"\n${JOB}`,
    );
    writeFileSync(join(root, "train.py"), "print('hi')\n");
    const locked = await cli("lock", "--json");
    expect(locked.code, locked.stderr).toBe(0);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("prints the manifests on stdout, progress on stderr", async () => {
    const run = await cli("job", "render", "--target", "kubernetes");
    expect(run.code, run.stderr).toBe(0);
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(["Service", "Job"]);
    expect(docs[1].metadata.namespace).toBe("ml");
    expect(run.stderr).toContain("rendering train for kubernetes (indexed-job)");
  });

  it("--json is exactly one document; -o writes the files, the sbatch script executable", async () => {
    const out = join(root, "out");
    const run = await cli("job", "render", "--target", "slurm", "-o", out, "--json");
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      ok: true,
      target: "slurm",
      name: "train",
      launch: ["sbatch", "train.sbatch"],
    });
    expect(json.files).toEqual([{ path: join(out, "train.sbatch") }]);
    expect(statSync(join(out, "train.sbatch")).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(out, "train.sbatch"), "utf8")).toContain("#SBATCH --nodes=2");
    const text = await cli("job", "render", "--target", "slurm", "-o", out);
    expect(text.stdout).toContain(`start it with: sbatch ${join(out, "train.sbatch")}`);
  });

  it("-o over a file, under a file or in a place that cannot be written: E_WRITE_FAILED with the fix", async () => {
    const file = join(root, "afile");
    writeFileSync(file, "not a folder\n");
    for (const [out, said] of [
      [file, "it is a file, not a folder"],
      [join(file, "sub"), "(ENOTDIR)"],
      ["/sys/torchstack-job-render", "(EPERM)"],
    ] as const) {
      const run = await cli("job", "render", "--target", "slurm", "-o", out, "--json");
      expect(run.code, run.stderr).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.code).toBe("E_WRITE_FAILED");
      expect(error.message).toContain(said);
      expect(run.stderr).toMatch(/fix: /);
      expect(run.stderr).not.toContain("E_INTERNAL");
    }
    expect(readFileSync(file, "utf8")).toBe("not a folder\n");
  });

  it("bad flags are usage errors (exit 2) before anything is read", async () => {
    expect((await cli("job", "render")).code).toBe(2);
    expect((await cli("job", "render", "--target", "cloud")).code).toBe(2);
    const flavor = await cli("job", "render", "--target", "slurm", "--flavor", "jobset");
    expect(flavor.code).toBe(2);
    expect(flavor.stderr).toContain("--flavor applies to --target kubernetes only");
    expect((await cli("job", "render", "--target", "kubernetes", "--flavor", "volcano")).code).toBe(2);
  });

  it("a target the job cannot run on fails with the fix", async () => {
    const run = await cli("job", "render", "--target", "local", "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe("E_JOB_INVALID");
  });

  it("job check: the local-only image fails for the cluster; the report has every check", async () => {
    const run = await cli("job", "check", "--target", "kubernetes", "--json");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([
      "manifests",
      "image",
      "script",
      "resources",
      "pods",
      "rendezvous",
    ]);
    expect(report.checks[1]).toMatchObject({ status: "fail", code: "E_JOB_IMAGE_LOCAL" });
  });

  it("job check: 8 GPUs per node for this CPU-only lock is a FAIL naming the lock's build", async () => {
    const gpus = join(root, "gpus.yaml");
    writeFileSync(
      gpus,
      readFileSync(spec, "utf8").replace("procsPerNode: 2", "procsPerNode: gpu\n  gpusPerNode: 8"),
    );
    expect((await cli("lock", "-f", gpus)).code).toBe(0);
    const run = await cli(
      "job",
      "check",
      "--target",
      "kubernetes",
      "--flavor",
      "pytorchjob",
      "-f",
      gpus,
      "--json",
    );
    expect(run.code).toBe(1);
    const resources = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === "resources");
    expect(resources).toMatchObject({ status: "fail", code: "E_JOB_RESOURCES" });
    expect(resources.message).toContain("the lock's build is torch");
  });

  it("job check --target slurm says sbatch --test-only was skipped without sbatch", async () => {
    const run = await cli("job", "check", "--target", "slurm");
    expect(run.stdout).toMatch(/skip sbatch: sbatch is not on PATH/);
    expect(run.code).toBe(0);
  });

  it("a pushed image is used by digest", () => {
    const lockPath = join(root, "torchstack.lock");
    const lock = readLock(lockPath);
    const pushed = {
      ...lock,
      images: [{ ref: "127.0.0.1:5000/train:lock-abc", digest: `sha256:${"a".repeat(64)}` }],
    };
    expect(jobImageFromLock(pushed, "train:lock-abc")).toEqual({
      ref: `127.0.0.1:5000/train@sha256:${"a".repeat(64)}`,
      registry: "127.0.0.1:5000",
      localTag: "train:lock-abc",
    });
    expect(registryOf("train:lock-abc")).toBeNull();
    expect(registryOf("team/train:1")).toBeNull();
    writeLock(lockPath, lock);
  });

  it("a spec without a job block says how to add one", async () => {
    const dir = join(root, "nojob");
    mkdirSync(dir);
    writeFileSync(join(dir, "torchstack.yaml"), readFileSync(spec, "utf8").replace(JOB, ""));
    await runCliInMemory(["lock"], { cwd: dir, env });
    const run = await runCliInMemory(["job", "render", "--target", "slurm", "--json"], { cwd: dir, env });
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: "E_NO_JOB" });
  });
});
