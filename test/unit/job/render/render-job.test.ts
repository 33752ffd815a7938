import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { TorchstackError } from "../../../../src/errors/torchstack-error.js";
import { KUBERNETES_FLAVORS } from "../../../../src/job/job-types.js";
import { renderJob } from "../../../../src/job/render/render-job.js";
import { slurmContainerSchema } from "../../../../src/spec/job-schema.js";
import {
  DEBIAN_TORCH,
  FULL_JOB,
  inputFor,
  PUSHED_IMAGE,
  SMALL_JOB,
  WHEEL_TORCH,
} from "./job-fixtures.test-support.js";

const CONTAINERS = slurmContainerSchema.options;

describe("golden renders", () => {
  it("local: docker run with workspace, shm, user and torchrun --standalone", () => {
    const rendered = renderJob(inputFor({ ...SMALL_JOB, nodes: 1 }, { target: "local" }));
    expect(rendered.launch).toMatchSnapshot();
    expect(rendered.files).toMatchSnapshot();
  });

  it("local with GPUs and a pushed image", () => {
    const rendered = renderJob(
      inputFor(
        { command: ["python3", "train.py"], gpusPerNode: 8 },
        {
          target: "local",
          image: PUSHED_IMAGE,
          runtime: WHEEL_TORCH,
        },
      ),
    );
    expect(rendered.launch).toContain("--gpus");
    expect(rendered.launch).toContain("--nproc_per_node=8");
    expect(rendered.launch).toMatchSnapshot();
  });

  for (const container of CONTAINERS) {
    it(`slurm, container ${container}: a valid bash script`, () => {
      const rendered = renderJob(
        inputFor(
          { ...FULL_JOB, slurm: { ...FULL_JOB.slurm, container } },
          {
            target: "slurm",
            image: PUSHED_IMAGE,
            runtime: WHEEL_TORCH,
          },
        ),
      );
      const script = rendered.files[0]?.content ?? "";
      expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
      expect(script).toMatchSnapshot();
    });
  }

  for (const flavor of KUBERNETES_FLAVORS) {
    it(`kubernetes ${flavor}: small CPU job`, () => {
      const rendered = renderJob(inputFor(SMALL_JOB, { target: "kubernetes", flavor }));
      expect(rendered.files[0]?.content).toMatchSnapshot();
    });
    it(`kubernetes ${flavor}: every key, GPUs, pushed image`, () => {
      const rendered = renderJob(
        inputFor(FULL_JOB, { target: "kubernetes", flavor, image: PUSHED_IMAGE, runtime: WHEEL_TORCH }),
      );
      expect(rendered.files[0]?.content).toMatchSnapshot();
    });
  }
});

describe("what each target must get right", () => {
  it("slurm: every #SBATCH line comes before the first command", () => {
    const script = renderJob(inputFor(FULL_JOB, { target: "slurm" })).files[0]?.content ?? "";
    const lines = script.split("\n");
    const lastSbatch = lines.findLastIndex((line) => line.startsWith("#SBATCH"));
    const firstCommand = lines.findIndex((line) => line !== "" && !line.startsWith("#"));
    expect(lastSbatch).toBeLessThan(firstCommand);
    expect(script).toContain("#SBATCH --ntasks-per-node=1");
    expect(script).toContain("#SBATCH --gpus-per-node=8");
    expect(script).toContain('scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1');
  });

  it("slurm: elastic nodes use c10d with the job id, and a node range", () => {
    const script =
      renderJob(inputFor({ ...SMALL_JOB, nodes: "1:4" }, { target: "slurm" })).files[0]?.content ?? "";
    expect(script).toContain("#SBATCH --nodes=1-4");
    expect(script).toContain('"--rdzv_id=$SLURM_JOB_ID"');
    expect(script).toContain("--nnodes=1:4");
    expect(script).toContain("--rdzv_backend=c10d");
  });

  it("slurm: MIG slices are requested by GRES type", () => {
    const job = { ...SMALL_JOB, gpusPerNode: { mig: "1g.10gb", count: 2 } };
    const script = renderJob(inputFor(job, { target: "slurm" })).files[0]?.content ?? "";
    expect(script).toContain("#SBATCH --gres=gpu:1g.10gb:2");
  });

  it("slurm: oci runs the bundle with only the job's variables, and finds the node rank in the node list", () => {
    const job = { ...SMALL_JOB, slurm: { container: "oci" as const } };
    const script = renderJob(inputFor(job, { target: "slurm" })).files[0]?.content ?? "";
    expect(script).toMatch(/--container=\/\S+\/\.torchstack\/oci\/\S+/);
    expect(script).toMatch(/--export=TORCHSTACK_NODES,MASTER_ADDR,/);
    expect(script).toContain('TORCHSTACK_NODES="$(scontrol show hostnames "$SLURM_JOB_NODELIST"');
    const bundle = { ...job, slurm: { container: "oci" as const, bundle: "/shared/bundles/train" } };
    const own = renderJob(inputFor(bundle, { target: "slurm" })).files[0]?.content ?? "";
    expect(own).toContain("--container=/shared/bundles/train ");
    expect(own).toContain("no OCI bundle at /shared/bundles/train");
  });

  it("slurm: apptainer passes --nv only with GPUs", () => {
    const job = (gpus: number) => ({
      ...FULL_JOB,
      gpusPerNode: gpus,
      slurm: { container: "apptainer" as const },
    });
    expect(renderJob(inputFor(job(8), { target: "slurm" })).files[0]?.content).toContain(
      "apptainer exec --nv",
    );
    expect(
      renderJob(inputFor({ ...job(0), procsPerNode: 2 }, { target: "slurm" })).files[0]?.content,
    ).not.toContain("--nv");
  });

  it("kubernetes: MIG uses the profile's resource name; plain GPUs nvidia.com/gpu, with the GPU toleration", () => {
    const mig = renderJob(
      inputFor({ ...SMALL_JOB, gpusPerNode: { mig: "3g.40gb", count: 1 } }, { target: "kubernetes" }),
    );
    expect(mig.files[0]?.content).toContain('nvidia.com/mig-3g.40gb: "1"');
    const gpu = renderJob(inputFor(FULL_JOB, { target: "kubernetes" })).files[0]?.content ?? "";
    expect(gpu).toContain('nvidia.com/gpu: "8"');
    expect(gpu).toMatch(/key: nvidia.com\/gpu\n\s+operator: Exists\n\s+effect: NoSchedule/);
  });

  it("kubernetes: every flavor runs non-root with a sized in-memory /dev/shm and capped restarts", () => {
    for (const flavor of KUBERNETES_FLAVORS) {
      const text = renderJob(inputFor(FULL_JOB, { target: "kubernetes", flavor })).files[0]?.content ?? "";
      expect(text, flavor).toContain("runAsNonRoot: true");
      expect(text, flavor).toMatch(/medium: Memory\n\s+sizeLimit: 16Gi/);
      expect(text, flavor).toContain("--max_restarts=2");
    }
  });

  it("kubernetes: elastic sizes only on pytorchjob (elasticPolicy)", () => {
    const elastic = { ...SMALL_JOB, nodes: "2:4" };
    expect(() => renderJob(inputFor(elastic, { target: "kubernetes", flavor: "trainjob" }))).toThrow(
      TorchstackError,
    );
    const text = renderJob(inputFor(elastic, { target: "kubernetes", flavor: "pytorchjob" })).files[0]
      ?.content;
    expect(text).toContain("elasticPolicy:");
    expect(text).toContain("rdzvBackend: c10d");
  });

  it("local refuses several nodes with the fix", () => {
    try {
      renderJob(inputFor(SMALL_JOB, { target: "local" }));
      expect.unreachable();
    } catch (error) {
      expect((error as TorchstackError).code).toBe("E_JOB_INVALID");
      expect((error as TorchstackError).remedies.join(" ")).toContain("--target slurm");
    }
  });
});

describe("pitfalls", () => {
  it("Debian torch 1.13 on Python 3.11 gets --redirects 2 --tee 1; wheels torch 2.x does not", () => {
    const debian = renderJob(inputFor(SMALL_JOB, { target: "kubernetes", runtime: DEBIAN_TORCH }));
    expect(debian.torchrun.join(" ")).toContain("--redirects 2 --tee 1");
    const wheels = renderJob(inputFor(SMALL_JOB, { target: "kubernetes", runtime: WHEEL_TORCH }));
    expect(wheels.torchrun.join(" ")).not.toContain("--redirects");
  });

  it("3/3 crashes torch 1.13 too: with a log folder the workaround stays --redirects 2 --tee 1", () => {
    const debian = renderJob(inputFor(SMALL_JOB, { target: "kubernetes", logDir: "/tmp/ranks" }));
    expect(debian.torchrun.join(" ")).toContain("--log_dir /tmp/ranks --redirects 2 --tee 1");
    const wheels = renderJob(
      inputFor(SMALL_JOB, { target: "kubernetes", logDir: "/tmp/ranks", runtime: WHEEL_TORCH }),
    );
    expect(wheels.torchrun.join(" ")).toContain("--log_dir /tmp/ranks --redirects 3 --tee 3");
  });

  it("slurm host Python: the script asks the host's torch, not the lock's, and sets PET_REDIRECTS/PET_TEE", () => {
    const script = renderJob(inputFor(SMALL_JOB, { target: "slurm" })).files[0]?.content ?? "";
    expect(script).not.toContain("--redirects");
    expect(script).toContain("then export PET_REDIRECTS=2 PET_TEE=1; fi");
    expect(script.indexOf("PET_REDIRECTS")).toBeLessThan(script.indexOf("srun "));
  });

  it("a fixed size gets static rendezvous (no c10d endpoint given as a DNS alias)", () => {
    for (const flavor of ["indexed-job", "jobset"] as const) {
      const rendered = renderJob(inputFor(SMALL_JOB, { target: "kubernetes", flavor }));
      expect(rendered.torchrun.join(" ")).not.toContain("rdzv_endpoint");
      expect(rendered.torchrun).toContain("--master_port=29500");
    }
  });

  it("the user's command words are never expanded by the batch shell", () => {
    const job = { ...SMALL_JOB, command: ["python3", "train.py", "$HOME", "a b"] };
    const script = renderJob(inputFor(job, { target: "slurm" })).files[0]?.content ?? "";
    expect(script).toContain("train.py '$HOME' 'a b'");
  });
});
