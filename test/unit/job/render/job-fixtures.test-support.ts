/**
 * Render inputs for the renderer tests: the CPU example's Debian torch 1.13
 * image (local tag, nothing pushed) and a pushed CUDA image, with job blocks
 * from the smallest to one using every key.
 */

import type { JobImage, RenderJobInput } from "../../../../src/job/job-types.js";
import { normalizeJob } from "../../../../src/job/normalize-job.js";
import type { JobBlock } from "../../../../src/spec/job-schema.js";

export const LOCAL_IMAGE: JobImage = {
  ref: "cpu-example:lock-57e8e683448b",
  registry: null,
  localTag: "cpu-example:lock-57e8e683448b",
};

export const PUSHED_IMAGE: JobImage = {
  ref: "registry.example.com:5000/team/train@sha256:0d3f2b4a8c6e1f7a9b5d3c1e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a",
  registry: "registry.example.com:5000",
  localTag: "train:lock-0123456789ab",
};

export const DEBIAN_TORCH = { torch: "1.13.1", python: "3.11", torchSource: "distro" } as const;
export const WHEEL_TORCH = { torch: "2.7.1", python: "3.12", torchSource: "wheels" } as const;

export const SMALL_JOB: JobBlock = { command: ["python3", "train.py"], nodes: 2, procsPerNode: 2 };

export const FULL_JOB: JobBlock = {
  command: ["python3", "train.py", "--epochs", "3", "--name", "it's here"],
  nodes: 4,
  gpusPerNode: 8,
  shm: "16g",
  resources: { cpu: 32, memory: "256g", limits: { cpu: 32, memory: "256g" } },
  restarts: 2,
  env: { NCCL_DEBUG: "INFO", NCCL_SOCKET_IFNAME: "^lo,docker" },
  slurm: { partition: "gpu", account: "ml", time: "02:00:00", container: "pyxis" },
  kubernetes: {
    namespace: "research",
    queue: "team-a",
    priorityClass: "training-high",
    serviceAccount: "trainer",
    nodeSelector: { "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "ml", effect: "NoSchedule" }],
    workspaceClaim: "train-data",
  },
};

export function inputFor(block: JobBlock, overrides: Partial<RenderJobInput> = {}): RenderJobInput {
  return {
    job: normalizeJob(block, { specName: "cpu-example", file: "torchstack.yaml" }),
    target: "kubernetes",
    image: LOCAL_IMAGE,
    user: { name: "dev", uid: 1000, gid: 1000 },
    runtime: DEBIAN_TORCH,
    workspace: "/home/me/project",
    ...overrides,
  };
}
