import { describe, expect, it } from "vitest";
import { SpecError } from "../../../src/errors/torchstack-error.js";
import { normalizeJob } from "../../../src/job/normalize-job.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";

const BASE = "name: train\ntorchSource: distro\ncuda: cpu\n";

function specError(text: string): SpecError {
  try {
    parseSpecText(BASE + text);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error("expected a SpecError");
}

describe("the job block in torchstack.yaml", () => {
  it("accepts every key the issue names", () => {
    const spec = parseSpecText(
      `${BASE}job:
  command: [python3, train.py]
  nodes: "1:4"
  procsPerNode: gpu
  gpusPerNode: {mig: 1g.10gb, count: 2}
  shm: 16g
  restarts: 3
  env: {NCCL_DEBUG: INFO}
  rendezvous: auto
  slurm: {partition: gpu, account: ml, time: "02:00:00", container: pyxis}
  kubernetes:
    flavor: trainjob
    namespace: research
    queue: team-a
    nodeSelector: {nvidia.com/gpu.product: H100}
    tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
`,
    );
    expect(spec.job?.gpusPerNode).toEqual({ mig: "1g.10gb", count: 2 });
  });

  it("a misspelt key fails with its file, line and the key", () => {
    const error = specError("job:\n  command: [python3, train.py]\n  procPerNode: 2\n");
    expect(error.code).toBe("E_SPEC_UNKNOWN_KEY");
    expect(error.line).toBe(6);
    expect(error.message).toContain("procPerNode");
  });

  it("bad values fail with their line", () => {
    expect(specError("job:\n  command: [python3, t.py]\n  nodes: two\n").line).toBe(6);
    expect(specError("job:\n  command: [python3, t.py]\n  slurm: {container: singularity}\n").code).toBe(
      "E_SPEC_INVALID",
    );
    expect(specError("job:\n  command: []\n").message).toContain("what each rank runs");
  });
});

describe("normalizeJob", () => {
  const context = { specName: "My_Train.v2", file: "torchstack.yaml" };

  it("fills the defaults: one node, static rendezvous, 8g shm, indexed-job in default", () => {
    const job = normalizeJob({ command: ["python3", "train.py"] }, context);
    expect(job).toMatchObject({
      name: "my-train-v2",
      nodes: { min: 1, max: 1 },
      procsPerNode: 1,
      gpusPerNode: { count: 0 },
      shm: "8g",
      shmBytes: 8 * 1024 ** 3,
      restarts: 0,
      rendezvous: "static",
      port: 29500,
      slurm: { container: "none" },
      kubernetes: { flavor: "indexed-job", namespace: "default", nodeSelector: {}, tolerations: [] },
    });
  });

  it("auto rendezvous: static for a fixed size, c10d for elastic", () => {
    expect(normalizeJob({ command: ["x.py"], nodes: 4 }, context).rendezvous).toBe("static");
    expect(normalizeJob({ command: ["x.py"], nodes: "2:4" }, context)).toMatchObject({
      rendezvous: "c10d",
      nodes: { min: 2, max: 4 },
    });
  });

  it("one process per GPU by default when the job has GPUs; run.shm is the shm default", () => {
    const job = normalizeJob({ command: ["x.py"], gpusPerNode: 8 }, { ...context, runShm: "32g" });
    expect(job.procsPerNode).toBe("gpu");
    expect(job.shm).toBe("32g");
  });

  it("refuses contradictions with the fix", () => {
    const cases = [
      { command: ["x.py"], nodes: "4:2" },
      { command: ["x.py"], procsPerNode: "gpu" as const },
      { command: ["x.py"], nodes: "1:4", rendezvous: "static" as const },
    ];
    for (const block of cases) {
      expect(() => normalizeJob(block, context)).toThrow(SpecError);
      try {
        normalizeJob(block, context);
      } catch (error) {
        expect((error as SpecError).code).toBe("E_JOB_INVALID");
        expect((error as SpecError).remedies.length).toBeGreaterThan(0);
      }
    }
  });
});
