/**
 * The job as every target sees it: `normalizeJob` turns the spec's `job` block
 * into one normalised JobSpec (node range, procs, GPUs, shm in bytes, a chosen
 * rendezvous, per-target defaults), and a renderer turns a JobSpec plus the
 * lock's image and user into a RenderedJob: the files to write and the argv
 * that launches it. Both shapes are zod schemas so records can be read back.
 */
import { z } from "zod";
import { kubernetesFlavorSchema, slurmContainerSchema, tolerationSchema } from "../spec/job-schema.js";

export const jobTargetSchema = z.enum(["local", "slurm", "kubernetes"]);
export type JobTarget = z.infer<typeof jobTargetSchema>;
export type KubernetesFlavor = z.infer<typeof kubernetesFlavorSchema>;
export type SlurmContainer = z.infer<typeof slurmContainerSchema>;
export const JOB_TARGETS = jobTargetSchema.options;
export const KUBERNETES_FLAVORS = kubernetesFlavorSchema.options;

export const jobSpecSchema = z
  .object({
    /** A DNS-1035 label from the spec's name: the job, Service and pod names start with it. */
    name: z.string(),
    command: z.array(z.string()).min(1),
    nodes: z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }).strict(),
    /** Processes (ranks) per node; `gpu` means one per GPU the node gets. */
    procsPerNode: z.union([z.number().int().min(1), z.literal("gpu")]),
    gpusPerNode: z.object({ count: z.number().int().min(0), mig: z.string().optional() }).strict(),
    /** As written (e.g. "8g"), and in bytes. */
    shm: z.string(),
    shmBytes: z.number().int().positive(),
    /** Whole-job restarts allowed after a failure (torchrun --max_restarts, JobSet maxRestarts, backoffLimit). */
    restarts: z.number().int().min(0),
    env: z.record(z.string(), z.string()),
    /** `auto` already decided: static for a fixed size, c10d for elastic. */
    rendezvous: z.enum(["static", "c10d"]),
    port: z.number().int(),
    slurm: z
      .object({
        partition: z.string().optional(),
        account: z.string().optional(),
        time: z.string().optional(),
        container: slurmContainerSchema,
        bundle: z.string().optional(),
      })
      .strict(),
    kubernetes: z
      .object({
        flavor: kubernetesFlavorSchema,
        namespace: z.string(),
        queue: z.string().optional(),
        workspaceClaim: z.string().optional(),
        nodeSelector: z.record(z.string(), z.string()),
        tolerations: z.array(tolerationSchema),
      })
      .strict(),
  })
  .strict();
export type JobSpec = z.infer<typeof jobSpecSchema>;

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
  /** The torchrun argv one node runs (static form uses the node rank and master address each target provides). */
  torchrun: string[];
  /** What the render did about known pitfalls, one line each. */
  notes: string[];
}

export type RenderJob = (input: RenderJobInput) => RenderedJob;

/** The folder the workspace is mounted at in every container form. */
export const CONTAINER_WORKSPACE = "/workspace";
