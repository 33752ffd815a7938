/**
 * The job as every target sees it: `normalizeJob` turns the spec's `job` block
 * into one normalised JobSpec (node range, procs, GPUs, shm in bytes, a chosen
 * rendezvous, per-target defaults), and a renderer turns a JobSpec plus the
 * lock's image and user into a RenderedJob: the files to write and the argv
 * that launches it. Plain types: nothing parses them (the spec schema checked the block).
 */
import { z } from "zod";
import {
  kubernetesFlavorSchema,
  type slurmContainerSchema,
  type tolerationSchema,
} from "../spec/job-schema.js";

export const jobTargetSchema = z.enum(["local", "slurm", "kubernetes"]);
export type JobTarget = z.infer<typeof jobTargetSchema>;
export type KubernetesFlavor = z.infer<typeof kubernetesFlavorSchema>;
export type SlurmContainer = z.infer<typeof slurmContainerSchema>;
export const JOB_TARGETS = jobTargetSchema.options;
export const KUBERNETES_FLAVORS = kubernetesFlavorSchema.options;

/** A toleration as the spec's `job.kubernetes.tolerations` writes it. */
export type JobToleration = z.infer<typeof tolerationSchema>;

/** The normalised job (normalizeJob builds it from a block the spec schema already checked). */
export interface JobSpec {
  /** A DNS-1035 label from the spec's name: the job, Service and pod names start with it. */
  name: string;
  command: string[];
  nodes: { min: number; max: number };
  /** Processes (ranks) per node; `gpu` means one per GPU the node gets. */
  procsPerNode: number | "gpu";
  gpusPerNode: { count: number; mig?: string | undefined };
  /** As written (e.g. "8g"), and in bytes. */
  shm: string;
  shmBytes: number;
  /** CPU and memory per node as written (Kubernetes quantities: `8`, `500m`; sizes: `64g`); none: defaults. */
  resources: JobResources;
  /** Whole-job restarts allowed after a failure (torchrun --max_restarts, JobSet maxRestarts, backoffLimit). */
  restarts: number;
  env: Record<string, string>;
  /** `auto` already decided: static for a fixed size, c10d for elastic. */
  rendezvous: "static" | "c10d";
  port: number;
  slurm: {
    partition?: string | undefined;
    account?: string | undefined;
    time?: string | undefined;
    /** Whole-allocation requeues after a failure (0: none). */
    requeue: number;
    container: SlurmContainer;
    bundle?: string | undefined;
  };
  kubernetes: {
    flavor: KubernetesFlavor;
    namespace: string;
    queue?: string | undefined;
    priorityClass?: string | undefined;
    serviceAccount?: string | undefined;
    workspaceClaim?: string | undefined;
    nodeSelector: Record<string, string>;
    tolerations: JobToleration[];
  };
}

/** CPU as a Kubernetes quantity (`8`, `500m`), memory as the spec writes sizes (`64g`). */
export interface JobResources {
  cpu?: string | undefined;
  memory?: string | undefined;
  limits: { cpu?: string | undefined; memory?: string | undefined };
}

/** The image every target runs: the lock's pushed reference (with digest) when there is one. */
export interface JobImage {
  /** What to run: `registry/name@sha256:…` when pushed, else the local tag. */
  ref: string;
  /** The registry host of `ref`, or null for an image that exists only in the local engine. */
  registry: string | null;
  /** The local tag the build produced (what `local` runs when nothing was pushed). */
  localTag: string;
}

/** Facts about the environment that change what a render must do (pitfalls). */
export interface JobRuntime {
  torch: string;
  python: string;
  torchSource: "wheels" | "distro";
  /** The lock's CUDA version; null for a CPU-only build (undefined: not known to the caller). */
  cuda?: string | null | undefined;
}

export interface RenderJobInput {
  job: JobSpec;
  target: JobTarget;
  /** Overrides job.kubernetes.flavor (the `--flavor` flag). */
  flavor?: KubernetesFlavor | undefined;
  image: JobImage;
  /** The image's non-root user, as the lock names it. */
  user: { name: string; uid: number; gid: number };
  runtime: JobRuntime;
  /** The workspace on the host (local and Slurm mount it at /workspace). */
  workspace: string;
  /** Local target: the container network (default `host`, as NCCL and torchrun expect). */
  network?: string | undefined;
  /** Where torchrun writes each rank's stdout/stderr and error file (`--log_dir`), when the runner collects them. */
  logDir?: string | undefined;
}

export interface RenderedFile {
  /** Relative to the output folder. */
  path: string;
  content: string;
}

export interface RenderedJob {
  target: JobTarget;
  flavor?: KubernetesFlavor;
  name: string;
  image: string;
  files: RenderedFile[];
  /** The argv that starts it: `docker run …` (local), `sbatch FILE` (slurm), `kubectl apply -f FILE`. */
  launch: string[];
  /** Values the launch reads from its own environment (argv names them only, so `ps` never shows them). */
  launchEnv?: Record<string, string>;
  /** The torchrun argv one node runs (static form uses the node rank and master address each target provides). */
  torchrun: string[];
  /** What the render did about known pitfalls, one line each. */
  notes: string[];
}

export type RenderJob = (input: RenderJobInput) => RenderedJob;

/** The folder the workspace is mounted at in every container form. */
export const CONTAINER_WORKSPACE = "/workspace";
