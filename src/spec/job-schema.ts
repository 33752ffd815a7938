/**
 * The `job` block of torchstack.yaml as written: what each rank runs and how
 * many nodes, processes and GPUs it takes, with per-target settings for Slurm
 * and Kubernetes. Only the shape is checked here (with file:line errors through
 * the spec loader); src/job/job-types.ts turns it into the normalised JobSpec.
 */
import { z } from "zod";

const sizeSchema = z.string().regex(/^\d+(\.\d+)?[kmgtKMGT]?[bB]?$/, "must be a size such as 8g or 512m");

/** `4`, or `"1:4"` for elastic (min:max). */
export const jobNodesSchema = z.union([
  z.number().int().min(1),
  z.string().regex(/^\d+(:\d+)?$/, 'must be a node count such as 2, or "MIN:MAX" such as "1:4"'),
]);

export const jobGpusSchema = z.union([
  z.number().int().min(0),
  z
    .object({
      mig: z.string().regex(/^\d+g\.\d+gb(\+me)?$/, "must be a MIG profile such as 1g.10gb or 3g.40gb"),
      count: z.number().int().min(1),
    })
    .strict(),
]);

/** `oci` is Slurm's own `srun --container` (an OCI bundle run by the runtime the cluster's oci.conf names). */
export const slurmContainerSchema = z.enum([
  "none",
  "docker",
  "podman",
  "pyxis",
  "enroot",
  "apptainer",
  "oci",
]);
export const kubernetesFlavorSchema = z.enum(["trainjob", "jobset", "indexed-job", "pytorchjob"]);
export const rendezvousSchema = z.enum(["auto", "static", "c10d"]);

const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes name: lower-case letters, digits and '-'");

export const tolerationSchema = z
  .object({
    key: z.string().optional(),
    operator: z.enum(["Exists", "Equal"]).optional(),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .strict();

/** A Slurm partition or account, or a comma-separated list of them. */
const slurmNames = z
  .string()
  .regex(
    /^[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*$/,
    "must be a Slurm name such as gpu, or a list such as gpu,debug",
  );

export const jobSlurmSchema = z
  .object({
    /** Pasted into `#SBATCH --partition=`: names only (a newline or a space would add a command or an option). */
    partition: slurmNames.optional(),
    account: slurmNames.optional(),
    /** Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]. */
    time: z
      .string()
      .regex(/^(\d+-)?\d+(:\d{2}){0,2}$/, "must be a Slurm time such as 30, 02:00:00 or 1-12:00:00")
      .optional(),
    container: slurmContainerSchema.optional(),
    /** Job-level requeues after a failure (sbatch --requeue, scontrol requeue while SLURM_RESTART_COUNT is below it). */
    requeue: z.number().int().min(0).max(20).optional(),
    /** `container: oci`: the OCI bundle folder, on a file system every node reads (default: in the workspace). */
    bundle: z
      .string()
      .regex(/^\//, "must be an absolute path every node can read")
      .regex(
        /^[^$`"\\\p{Cc}]*$/u,
        "must be a plain path: no $, backtick, double quote, backslash or control character",
      )
      .optional(),
  })
  .strict();

/** CPU cores as a number (`8`, `0.5`) or Kubernetes millicores (`"500m"`). */
const cpuSchema = z.union([
  z.number().min(0.001).max(4096),
  z.string().regex(/^\d+m$/, 'must be CPU cores such as 8 or 0.5, or millicores such as "500m"'),
]);

/** What each node (one pod, one Slurm task) asks for besides GPUs; limits are Kubernetes only. */
export const jobResourcesSchema = z
  .object({
    /** The pod's CPU request; Slurm --cpus-per-task (rounded up). */
    cpu: cpuSchema.optional(),
    /** The pod's memory request; Slurm --mem. /dev/shm counts against it. */
    memory: sizeSchema.optional(),
    limits: z.object({ cpu: cpuSchema.optional(), memory: sizeSchema.optional() }).strict().optional(),
  })
  .strict();

export const jobKubernetesSchema = z
  .object({
    flavor: kubernetesFlavorSchema.optional(),
    namespace: k8sName.optional(),
    /** Kueue LocalQueue name (label kueue.x-k8s.io/queue-name). */
    queue: k8sName.optional(),
    /** The pods' PriorityClass (priorityClassName). */
    priorityClass: k8sName.optional(),
    /** The pods' ServiceAccount (serviceAccountName). */
    serviceAccount: k8sName.optional(),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    tolerations: z.array(tolerationSchema).optional(),
    /** A PersistentVolumeClaim mounted at /workspace in every pod (the code and data), when the image lacks them. */
    workspaceClaim: k8sName.optional(),
  })
  .strict();

export const jobBlockSchema = z
  .object({
    command: z.array(z.string().min(1)).min(1, "must name what each rank runs, e.g. [python3, train.py]"),
    nodes: jobNodesSchema.optional(),
    procsPerNode: z.union([z.number().int().min(1), z.literal("gpu")]).optional(),
    gpusPerNode: jobGpusSchema.optional(),
    shm: sizeSchema.optional(),
    resources: jobResourcesSchema.optional(),
    restarts: z.number().int().min(0).max(100).optional(),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"),
        z.string(),
      )
      .optional(),
    rendezvous: rendezvousSchema.optional(),
    /** The rendezvous / master port (default 29500). */
    port: z.number().int().min(1024).max(65535).optional(),
    slurm: jobSlurmSchema.optional(),
    kubernetes: jobKubernetesSchema.optional(),
  })
  .strict();

/** The job block as written in the file. */
export type JobBlock = z.infer<typeof jobBlockSchema>;
