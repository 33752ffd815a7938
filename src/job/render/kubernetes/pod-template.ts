/**
 * The pod every Kubernetes flavor runs per node: the image's non-root user
 * (`runAsNonRoot`, `runAsUser`, `fsGroup`), /dev/shm as a sized in-memory
 * emptyDir, CPU and memory requests (so no pod is BestEffort) with the limits
 * the spec writes, `nvidia.com/gpu` or the MIG profile's resource with its
 * request equal to its limit, the GPU toleration, priority class, service
 * account, the job's node selector and tolerations, and the workspace claim.
 */
import type {
  Container,
  EnvVar,
  PodSpec,
  ResourceRequirements,
  Toleration,
  Volume,
} from "kubernetes-types/core/v1.js";
import { CONTAINER_WORKSPACE, type JobSpec, type RenderJobInput } from "../../job-types.js";
import { procsOf } from "../../normalize-job.js";
import { computeLists, podCompute } from "../../resources.js";
import { kubernetesQuantity } from "../../size.js";
import { jobEnv } from "../common-env.js";

export const JOB_LABEL = "torchstack.dev/job";
export const QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
export const GPU_TOLERATION: Toleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/** `nvidia.com/gpu`, or `nvidia.com/mig-1g.10gb` for a MIG profile (the device plugin's mixed strategy). */
export function gpuResourceName(job: JobSpec): string {
  return job.gpusPerNode.mig ? `nvidia.com/mig-${job.gpusPerNode.mig}` : "nvidia.com/gpu";
}

/** Requests always (CPU, memory, GPUs); limits as the spec writes them, GPUs' equal to their requests. */
export function nodeResources(job: JobSpec): ResourceRequirements {
  const { requests, limits } = computeLists(podCompute(job, procsOf(job)));
  const gpus: Record<string, string> =
    job.gpusPerNode.count > 0 ? { [gpuResourceName(job)]: String(job.gpusPerNode.count) } : {};
  const allLimits = { ...limits, ...gpus };
  return {
    requests: { ...requests, ...gpus },
    ...(Object.keys(allLimits).length > 0 ? { limits: allLimits } : {}),
  };
}

/** `priorityClassName` and `serviceAccountName` when the job names them. */
export function podIdentity(job: JobSpec): Pick<PodSpec, "priorityClassName" | "serviceAccountName"> {
  const { priorityClass, serviceAccount } = job.kubernetes;
  return {
    ...(priorityClass ? { priorityClassName: priorityClass } : {}),
    ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}),
  };
}

export function envList(env: Record<string, string>, extra: EnvVar[] = []): EnvVar[] {
  return [...extra, ...Object.entries(env).map(([name, value]) => ({ name, value }))];
}

export function podLabels(job: JobSpec): Record<string, string> {
  return { "app.kubernetes.io/managed-by": "torchstack", [JOB_LABEL]: job.name };
}

/** Labels of the top-level object: the job label, and Kueue's queue when the job names one. */
export function objectLabels(job: JobSpec): Record<string, string> {
  return { ...podLabels(job), ...(job.kubernetes.queue ? { [QUEUE_LABEL]: job.kubernetes.queue } : {}) };
}

export function podVolumes(job: JobSpec): Volume[] {
  return [
    { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: kubernetesQuantity(job.shm) } },
    ...(job.kubernetes.workspaceClaim
      ? [{ name: "workspace", persistentVolumeClaim: { claimName: job.kubernetes.workspaceClaim } }]
      : []),
  ];
}

export function volumeMounts(job: JobSpec): NonNullable<Container["volumeMounts"]> {
  return [
    { name: "dshm", mountPath: "/dev/shm" },
    ...(job.kubernetes.workspaceClaim ? [{ name: "workspace", mountPath: CONTAINER_WORKSPACE }] : []),
  ];
}

export function podSecurity(input: RenderJobInput): NonNullable<PodSpec["securityContext"]> {
  return {
    runAsNonRoot: true,
    runAsUser: input.user.uid,
    runAsGroup: input.user.gid,
    fsGroup: input.user.gid,
  };
}

export const CONTAINER_SECURITY: NonNullable<Container["securityContext"]> = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
};

export function podTolerations(job: JobSpec): Toleration[] {
  return [...(job.gpusPerNode.count > 0 ? [GPU_TOLERATION] : []), ...job.kubernetes.tolerations];
}

export interface NodeContainer {
  name: string;
  command: string[];
  env?: EnvVar[];
}

/** The full pod spec of one node (indexed-job, jobset, pytorchjob). */
export function nodePodSpec(input: RenderJobInput, container: NodeContainer): PodSpec {
  const { job } = input;
  const tolerations = podTolerations(job);
  const selector = job.kubernetes.nodeSelector;
  return {
    restartPolicy: "Never",
    ...podIdentity(job),
    securityContext: podSecurity(input),
    containers: [
      {
        name: container.name,
        image: input.image.ref,
        command: container.command,
        env: envList(jobEnv(job), container.env),
        workingDir: CONTAINER_WORKSPACE,
        resources: nodeResources(job),
        securityContext: CONTAINER_SECURITY,
        volumeMounts: volumeMounts(job),
      },
    ],
    volumes: podVolumes(job),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(Object.keys(selector).length > 0 ? { nodeSelector: selector } : {}),
  };
}
