import { describe, expect, it } from "vitest";
import type { CheckFacts } from "../../../../src/job/check/job-checks.js";
import {
  imageCheck,
  jobChecks,
  rendezvousCheck,
  resourceChecks,
  scriptCheck,
} from "../../../../src/job/check/job-checks.js";
import { podCheck } from "../../../../src/job/check/pod-check.js";
import type { RenderJobInput } from "../../../../src/job/job-types.js";
import { renderJob } from "../../../../src/job/render/render-job.js";
import { HAS_REFERENCE, NO_REFERENCE, referenceCrds } from "../kubernetes/reference-crds.test-support.js";
import {
  DEBIAN_TORCH,
  FULL_JOB,
  inputFor,
  PUSHED_IMAGE,
  SMALL_JOB,
  WHEEL_TORCH,
} from "../render/job-fixtures.test-support.js";

const FACTS: CheckFacts = { scriptExists: true, imageLocal: true, specFile: "torchstack.yaml" };

function statusOf(input: RenderJobInput, facts: Partial<CheckFacts> = {}) {
  return Object.fromEntries(
    jobChecks(input, renderJob(input), { ...FACTS, ...facts }).map((c) => [c.id, c.status]),
  );
}

describe.skipIf(!HAS_REFERENCE)(
  `job check with the CRD schemas${HAS_REFERENCE ? "" : ` (${NO_REFERENCE})`}`,
  () => {
    it("a pushed image on Kubernetes with the script present passes everything", async () => {
      const input = inputFor({ ...SMALL_JOB, kubernetes: { workspaceClaim: "ws" } }, { image: PUSHED_IMAGE });
      expect(statusOf(input, { crds: await referenceCrds() })).toEqual({
        manifests: "pass",
        image: "pass",
        script: "pass",
        resources: "pass",
        pods: "pass",
        rendezvous: "pass",
      });
    });
  },
);

describe("job check's pure checks", () => {
  it("without CRD schemas the manifests are skipped, not passed; the other checks still run", () => {
    const input = inputFor({ ...SMALL_JOB, kubernetes: { workspaceClaim: "ws" } }, { image: PUSHED_IMAGE });
    expect(statusOf(input)).toEqual({
      manifests: "skip",
      image: "pass",
      script: "pass",
      resources: "pass",
      pods: "pass",
      rendezvous: "pass",
    });
  });

  it("a local-only image is an error for a cluster, with the push command as the fix", () => {
    for (const target of ["kubernetes", "slurm"] as const) {
      const job = { ...SMALL_JOB, slurm: { container: "pyxis" as const } };
      const check = imageCheck(inputFor(job, { target }), FACTS);
      expect(check).toMatchObject({ status: "fail", code: "E_JOB_IMAGE_LOCAL" });
      expect(check.fix?.[0]).toContain("--push REGISTRY");
    }
  });

  it("docker/podman on Slurm nodes use the nodes' own engines: a warning; host Python needs no image", () => {
    const docker = inputFor({ ...SMALL_JOB, slurm: { container: "docker" } }, { target: "slurm" });
    expect(imageCheck(docker, FACTS).status).toBe("warn");
    const none = inputFor(SMALL_JOB, { target: "slurm" });
    expect(imageCheck(none, FACTS).status).toBe("skip");
  });

  it("a loopback registry is only a warning for a cluster (reachable from the nodes only if each runs one)", () => {
    const loopback = {
      ref: "127.0.0.1:5000/train@sha256:abc",
      registry: "127.0.0.1:5000",
      localTag: "train:lock-1",
    };
    expect(imageCheck(inputFor(SMALL_JOB, { image: loopback }), FACTS)).toMatchObject({
      status: "warn",
      code: "E_JOB_IMAGE_LOCAL",
    });
  });

  it("local: the image must be in the engine", () => {
    const input = inputFor({ ...SMALL_JOB, nodes: 1 }, { target: "local" });
    expect(imageCheck(input, { ...FACTS, imageLocal: false })).toMatchObject({
      status: "fail",
      code: "E_NO_IMAGE",
    });
  });

  it("a missing script fails before anything queues; modules and programs are skipped", () => {
    const input = inputFor(SMALL_JOB);
    expect(scriptCheck(input, { ...FACTS, scriptExists: false })).toMatchObject({
      status: "fail",
      code: "E_JOB_SCRIPT_MISSING",
    });
    expect(scriptCheck(inputFor({ command: ["python3", "-m", "pkg.train"] }), FACTS).status).toBe("skip");
    expect(scriptCheck(input, FACTS).status, "no workspace claim: the pods cannot see it").toBe("warn");
  });

  it("shm and GPU requests: tiny shm, more ranks than GPUs, MIG across ranks", () => {
    const tiny = resourceChecks(inputFor({ ...SMALL_JOB, shm: "64m" }));
    expect(tiny[0]).toMatchObject({ status: "fail", code: "E_JOB_RESOURCES" });
    const over = resourceChecks(inputFor({ ...SMALL_JOB, gpusPerNode: 2, procsPerNode: 4 }));
    expect(over[0]?.message).toContain("4 ranks per node but 2 GPU(s)");
    const mig = resourceChecks(
      inputFor({ ...SMALL_JOB, gpusPerNode: { mig: "1g.10gb", count: 1 }, procsPerNode: 1 }),
    );
    expect(mig[0]?.status).toBe("warn");
    expect(resourceChecks(inputFor(FULL_JOB))[0]?.status).toBe("pass");
  });

  it("GPUs for a CPU-only lock fail, naming the lock's build; a CUDA lock with GPUs passes", () => {
    const gpuJob = { ...SMALL_JOB, procsPerNode: "gpu" as const, gpusPerNode: 8 };
    const cpu = resourceChecks(inputFor(gpuJob, { runtime: { ...DEBIAN_TORCH, cuda: null } }), "mn.yaml");
    expect(cpu[0]).toMatchObject({ status: "fail", code: "E_JOB_RESOURCES" });
    expect(cpu[0]?.message).toContain("8 GPU(s) per node, but the lock's build is torch 1.13.1");
    expect(cpu[0]?.message).toContain("CPU-only");
    expect(cpu[0]?.fix?.[0]).toBe("job.gpusPerNode: 0 in mn.yaml (ranks on CPUs: procsPerNode: N)");
    const cpuWheel = { ...WHEEL_TORCH, cuda: null };
    expect(resourceChecks(inputFor(gpuJob, { runtime: cpuWheel }))[0]?.message).toContain("CPU-only wheel");
    const cuda = resourceChecks(inputFor(gpuJob, { runtime: { ...WHEEL_TORCH, cuda: "12.8" } }));
    expect(cuda.map((c) => c.status)).toEqual(["pass"]);
    const cpuOnly = resourceChecks(inputFor(SMALL_JOB, { runtime: { ...DEBIAN_TORCH, cuda: null } }));
    expect(
      cpuOnly.map((c) => c.status),
      "no GPUs asked: nothing to say",
    ).toEqual(["pass"]);
  });

  it("pods: requests, limits, QoS, priority class, service account and queue are shown; TrainJob's priority class warns", () => {
    const small = podCheck(inputFor(SMALL_JOB));
    expect(small.status).toBe("pass");
    expect(small.message).toContain("each pod requests cpu 2, memory 10Gi (cpu and memory by default");
    expect(small.message).toContain("limits none: Burstable QoS");
    const full = podCheck(inputFor(FULL_JOB));
    expect(full.message).toContain(
      "each pod requests cpu 32, memory 256Gi, nvidia.com/gpu 8; limits cpu 32, memory 256Gi, nvidia.com/gpu 8: Guaranteed QoS; priority class training-high, service account trainer, Kueue queue team-a",
    );
    const trainjob = podCheck(inputFor(FULL_JOB, { flavor: "trainjob" }));
    expect(trainjob).toMatchObject({ status: "warn", code: "E_JOB_RESOURCES" });
    expect(trainjob.fix?.[1]).toContain("flavor: jobset");
    expect(podCheck(inputFor(SMALL_JOB, { target: "slurm" })).status).toBe("skip");
  });

  it("rendezvous: c10d for a fixed size warns (the DNS alias pitfall)", () => {
    expect(rendezvousCheck(inputFor({ ...SMALL_JOB, rendezvous: "c10d" })).status).toBe("warn");
    expect(rendezvousCheck(inputFor(SMALL_JOB)).status).toBe("pass");
  });
});
