import type { Container, PodSpec } from "kubernetes-types/core/v1.js";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../../../../src/errors/torchstack-error.js";
import { KUBERNETES_FLAVORS } from "../../../../../src/job/job-types.js";
import { normalizeJob } from "../../../../../src/job/normalize-job.js";
import { manifestObjects } from "../../../../../src/job/render/kubernetes/render-kubernetes.js";
import { renderJob } from "../../../../../src/job/render/render-job.js";
import { podCompute, qosClass, slurmCompute } from "../../../../../src/job/resources.js";
import { parseSpecText } from "../../../../../src/spec/load-spec.js";
import { FULL_JOB, inputFor, SMALL_JOB } from "../job-fixtures.test-support.js";

/** The node pod's spec and main container's resources, wherever the flavor keeps them. */
function podOf(flavor: (typeof KUBERNETES_FLAVORS)[number], block = FULL_JOB) {
  const objects = manifestObjects(renderJob(inputFor(block, { target: "kubernetes", flavor }))) as {
    kind: string;
    spec: Record<string, unknown>;
  }[];
  const main = objects.find((o) => o.kind !== "Service");
  const spec = main?.spec as never as {
    template?: { spec: PodSpec };
    replicatedJobs?: { template: { spec: { template: { spec: PodSpec } } } }[];
    pytorchReplicaSpecs?: { Master: { template: { spec: PodSpec } } };
    trainer?: { resourcesPerNode: Container["resources"] };
    runtimePatches?: {
      trainingRuntimeSpec: {
        template: { spec: { replicatedJobs: { template: { spec: { template: { spec: PodSpec } } } }[] } };
      };
    }[];
  };
  const pod =
    spec.template?.spec ??
    spec.replicatedJobs?.[0]?.template.spec.template.spec ??
    spec.pytorchReplicaSpecs?.Master.template.spec ??
    spec.runtimePatches?.[0]?.trainingRuntimeSpec.template.spec.replicatedJobs[0]?.template.spec.template
      .spec;
  return { pod, resources: spec.trainer?.resourcesPerNode ?? pod?.containers[0]?.resources };
}

describe("pods that are not BestEffort", () => {
  it("every flavor requests CPU and memory, even with nothing written (one CPU and shm + 1 GiB per rank)", () => {
    for (const flavor of KUBERNETES_FLAVORS) {
      const { resources } = podOf(flavor, SMALL_JOB);
      expect(resources?.requests, flavor).toEqual({ cpu: "2", memory: "10Gi" });
      expect(resources?.limits, flavor).toBeUndefined();
    }
  });

  it("every flavor: the spec's requests and limits, nvidia.com/gpu requests equal to limits", () => {
    for (const flavor of KUBERNETES_FLAVORS) {
      const { resources } = podOf(flavor);
      expect(resources, flavor).toEqual({
        requests: { cpu: "32", memory: "256Gi", "nvidia.com/gpu": "8" },
        limits: { cpu: "32", memory: "256Gi", "nvidia.com/gpu": "8" },
      });
    }
  });

  it("priority class and service account on every flavor's pods (TrainJob: the service account; its note names the priority class)", () => {
    for (const flavor of ["indexed-job", "jobset", "pytorchjob"] as const) {
      expect(podOf(flavor).pod, flavor).toMatchObject({
        priorityClassName: "training-high",
        serviceAccountName: "trainer",
      });
    }
    expect(podOf("trainjob").pod).toMatchObject({ serviceAccountName: "trainer" });
    const trainjob = renderJob(inputFor(FULL_JOB, { target: "kubernetes", flavor: "trainjob" }));
    expect(trainjob.notes.join("\n")).toContain("priority class training-high is not rendered");
  });

  it("the Kueue queue label on every flavor's top-level object", () => {
    for (const flavor of KUBERNETES_FLAVORS) {
      const objects = manifestObjects(renderJob(inputFor(FULL_JOB, { target: "kubernetes", flavor }))) as {
        kind: string;
        metadata: { labels: Record<string, string> };
      }[];
      const main = objects.find((o) => o.kind !== "Service");
      expect(main?.metadata.labels["kueue.x-k8s.io/queue-name"], flavor).toBe("team-a");
    }
  });

  it("QoS: Guaranteed when limits equal requests, else Burstable", () => {
    const job = (resources: object) =>
      normalizeJob(
        { command: ["x.py"], procsPerNode: 2, shm: "1g", resources },
        { specName: "t", file: "f" },
      );
    expect(qosClass(podCompute(job({}), 2))).toBe("Burstable");
    expect(qosClass(podCompute(job({ cpu: 4, memory: "8g", limits: { cpu: 4, memory: "8g" } }), 2))).toBe(
      "Guaranteed",
    );
    expect(qosClass(podCompute(job({ cpu: "500m", memory: "8g", limits: { memory: "8g" } }), 2))).toBe(
      "Burstable",
    );
  });

  it("Slurm gets --cpus-per-task and --mem only for what the spec writes", () => {
    const script = renderJob(inputFor(FULL_JOB, { target: "slurm" })).files[0]?.content ?? "";
    expect(script).toContain("#SBATCH --cpus-per-task=32\n#SBATCH --mem=262144M\n");
    expect(renderJob(inputFor(SMALL_JOB, { target: "slurm" })).files[0]?.content).not.toContain("--mem");
    expect(slurmCompute({ cpu: "1500m", limits: {} })).toEqual(["--cpus-per-task=2"]);
  });
});

describe("job.resources in the spec", () => {
  const BASE = "name: train\ntorchSource: distro\ncuda: cpu\njob:\n  command: [python3, train.py]\n";
  const refused = (text: string) => {
    try {
      const spec = parseSpecText(BASE + text);
      normalizeJob(spec.job ?? { command: [] }, { specName: "train", file: "torchstack.yaml" });
    } catch (error) {
      if (error instanceof SpecError) return error;
      throw error;
    }
    throw new Error("expected a SpecError");
  };

  it("accepts cores, millicores and sizes; kubernetes.priorityClass and serviceAccount", () => {
    const spec = parseSpecText(
      `${BASE}  resources: {cpu: 0.5, memory: 4g, limits: {cpu: "2000m", memory: 12g}}\n  kubernetes: {priorityClass: high, serviceAccount: trainer}\n`,
    );
    const job = normalizeJob(spec.job ?? { command: [] }, { specName: "train", file: "f" });
    expect(job.resources).toEqual({ cpu: "0.5", memory: "4g", limits: { cpu: "2000m", memory: "12g" } });
    expect(job.kubernetes).toMatchObject({ priorityClass: "high", serviceAccount: "trainer" });
  });

  it("refuses bad values, a limit below its request, and a memory limit that /dev/shm fills", () => {
    expect(refused("  resources: {cpu: two}\n").code).toBe("E_SPEC_INVALID");
    expect(refused("  resources: {gpu: 1}\n").code).toBe("E_SPEC_UNKNOWN_KEY");
    expect(refused("  kubernetes: {priorityClass: High_Prio}\n").code).toBe("E_SPEC_INVALID");
    const below = refused("  resources: {cpu: 4, limits: {cpu: 2}}\n");
    expect(below).toMatchObject({ code: "E_JOB_INVALID" });
    expect(below.message).toContain("cpu limit 2 is below its request 4");
    const shm = refused("  shm: 8g\n  resources: {limits: {memory: 8g}}\n");
    expect(shm.message).toContain("nothing beside /dev/shm");
    expect(shm.remedies[0]).toContain("memory: 16g");
  });
});
