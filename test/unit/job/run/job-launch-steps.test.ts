/**
 * What each target does before it submits, now that `job run` asks its backend instead of the target:
 * the workspace rule, the rank folder (where the ranks see it, who owns it, its mode), the user the ranks
 * run as, what is saved of each rendered file and what the first record holds. Real folders in a temp dir.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderJob } from "../../../../src/job/render/render-job.js";
import type { BackendContext } from "../../../../src/job/run/job-backend.js";
import { kubernetesBackend } from "../../../../src/job/run/kubernetes-backend.js";
import { localBackend } from "../../../../src/job/run/local-backend.js";
import { localRankOwner } from "../../../../src/job/run/local-launch.js";
import { slurmBackend } from "../../../../src/job/run/slurm-backend.js";
import { FULL_JOB, inputFor, SMALL_JOB } from "../render/job-fixtures.test-support.js";

const root = mkdtempSync(join(tmpdir(), "ts-launch-steps-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ctx: BackendContext = {
  env: { PATH: process.env.PATH, TORCHSTACK_STATE_DIR: join(root, "state") },
  run: async () => {
    throw new Error("no process is started before the submission");
  },
  progress: () => {},
};
const workspace = (name: string) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};

describe("preparing a job, per target", () => {
  it("local and Slurm refuse a missing workspace; Kubernetes needs none here", async () => {
    const missing = join(root, "no-such-workspace");
    for (const backend of [localBackend(ctx), slurmBackend(ctx, missing)])
      await expect(backend.prepare(inputFor(SMALL_JOB, { workspace: missing }))).rejects.toMatchObject({
        code: "E_JOB_WORKSPACE_MISSING",
      });
    const k8s = kubernetesBackend(ctx);
    const input = inputFor(SMALL_JOB, { workspace: missing });
    await expect(k8s.prepare(input)).resolves.toBeUndefined();
    expect(k8s.placeRanks(input, "j1")).toEqual({ input, ranks: null });
  });

  it("local: the ranks run as the rank owner, in a 0700 rank folder seen at /workspace", () => {
    const ws = workspace("local");
    const input = inputFor(SMALL_JOB, { target: "local", workspace: ws });
    const { input: launched, ranks } = localBackend(ctx).placeRanks(input, "j1");
    const owner = localRankOwner(ws, ctx.env);
    expect(launched.user).toEqual({ name: "dev", uid: owner.uid, gid: owner.gid });
    expect(ranks).toEqual({
      host: join(ws, ".torchstack/jobs/j1/ranks"),
      inJob: "/workspace/.torchstack/jobs/j1/ranks",
    });
    expect(statSync(ranks?.host ?? "").mode & 0o777).toBe(0o700);
    expect(statSync(join(ws, ".torchstack/jobs")).mode & 0o777).toBe(0o755);
  });

  it("Slurm: a 0777 rank folder, at /workspace in a container and at its own path without one", () => {
    const ws = workspace("slurm");
    const slurm = slurmBackend(ctx, ws);
    const bare = slurm.placeRanks(inputFor(SMALL_JOB, { target: "slurm", workspace: ws }), "j1");
    expect(bare.ranks).toEqual({ host: join(ws, ".torchstack/jobs/j1/ranks"), inJob: bare.ranks?.host });
    expect(statSync(bare.ranks?.host ?? "").mode & 0o777).toBe(0o777);
    const pyxis = slurm.placeRanks(inputFor(FULL_JOB, { target: "slurm", workspace: ws }), "j2");
    expect(pyxis.ranks?.inJob).toBe("/workspace/.torchstack/jobs/j2/ranks");
    expect(pyxis.input.user.uid).toBe(1000);
  });

  it("local saves its script with the env values redacted and starts RUNNING under its container name", () => {
    const input = inputFor(
      { ...SMALL_JOB, nodes: 1, env: { HF_TOKEN: "hf_value_never_saved" } },
      { target: "local", workspace: root },
    );
    const local = localBackend(ctx);
    const rendered = renderJob(input);
    const saved = local.savedFiles(rendered, input);
    expect(saved.map((file) => file.path)).toEqual(rendered.files.map((file) => file.path));
    const script = saved.find((file) => file.path.endsWith(".local.sh"))?.content ?? "";
    expect(rendered.files.find((file) => file.path.endsWith(".local.sh"))?.content).toContain(
      "hf_value_never_saved",
    );
    expect(script).toContain("HF_TOKEN");
    expect(script).not.toContain("hf_value_never_saved");
    expect(local.firstRecord({ id: "j1", rendered, input })).toEqual({
      schedulerId: "torchstack-job-j1",
      state: "RUNNING",
      reason: null,
    });
  });

  it("Kubernetes' first record names its workload; Slurm's adds nothing and saves what was rendered", () => {
    const k8sInput = inputFor(FULL_JOB, { target: "kubernetes" });
    const k8sRendered = renderJob(k8sInput);
    expect(kubernetesBackend(ctx).firstRecord({ id: "j1", rendered: k8sRendered, input: k8sInput })).toEqual({
      kubernetes: { kind: expect.any(String), name: expect.any(String), namespace: "research" },
    });
    const input = inputFor(SMALL_JOB, { target: "slurm" });
    const rendered = renderJob(input);
    const slurm = slurmBackend(ctx, root);
    expect(slurm.firstRecord({ id: "j1", rendered, input })).toEqual({});
    expect(slurm.savedFiles(rendered, input)).toEqual(rendered.files);
    expect(slurm.adjust(rendered)).toBe(rendered);
  });

  it("each target names its own command that stops a job for good, and how it holds jobs and rank files", () => {
    const record = {
      id: "j1",
      schedulerId: "4711",
      kubernetes: { kind: "JobSet", name: "train-j1", namespace: "research" },
    } as unknown as Parameters<ReturnType<typeof localBackend>["forceStopCommand"]>[0];
    const local = localBackend(ctx);
    const slurm = slurmBackend(ctx, root);
    const k8s = kubernetesBackend(ctx);
    expect(local.forceStopCommand(record)).toBe("docker rm --force torchstack-job-j1");
    expect(slurm.forceStopCommand(record)).toBe("scancel --signal=KILL 4711");
    expect(k8s.forceStopCommand(record)).toBe("kubectl delete JobSet train-j1 --namespace research");
    expect(k8s.forceStopCommand({ ...record, kubernetes: undefined, schedulerId: "JobSet/x" })).toBe(
      "kubectl delete JobSet/x",
    );
    expect([local, slurm, k8s].map((b) => [b.submits, b.rankFiles])).toEqual([
      [false, "here"],
      [true, "shared"],
      [true, "none"],
    ]);
  });
});
