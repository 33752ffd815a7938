/**
 * `trainjob`: a Kubeflow Trainer v2 TrainJob on the `torch-distributed`
 * ClusterTrainingRuntime. numNodes, numProcPerNode and resourcesPerNode go in
 * `trainer`; the runtime injects PET_NNODES, PET_NPROC_PER_NODE, PET_NODE_RANK
 * and PET_MASTER_ADDR, so torchrun gets only the job's own flags; everything
 * else (non-root, shm, tolerations, node selector) goes through runtimePatches.
 */
import type { EnvVar, PodSpec, ResourceRequirements } from "kubernetes-types/core/v1.js";
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import type { RenderJobInput } from "../../job-types.js";
import { procsOf } from "../../normalize-job.js";
import { jobEnv } from "../common-env.js";
import { torchrunLine } from "../torchrun-args.js";
import {
  CONTAINER_SECURITY,
  envList,
  nodeResources,
  objectLabels,
  podLabels,
  podSecurity,
  podTolerations,
  podVolumes,
  volumeMounts,
} from "./pod-template.js";

export const TRAINJOB_PATCH_MANAGER = "torchstack.dev/job-render";

interface PodPatch {
  metadata: { labels: Record<string, string> };
  spec: Pick<
    PodSpec,
    "securityContext" | "volumes" | "tolerations" | "nodeSelector" | "serviceAccountName"
  > & {
    containers: {
      name: string;
      securityContext: NonNullable<PodSpec["containers"][number]["securityContext"]>;
      volumeMounts: NonNullable<PodSpec["containers"][number]["volumeMounts"]>;
    }[];
  };
}

export interface TrainJobManifest {
  apiVersion: "trainer.kubeflow.org/v1alpha1";
  kind: "TrainJob";
  metadata: ObjectMeta;
  spec: {
    runtimeRef: { apiGroup: string; kind: string; name: string };
    trainer: {
      image: string;
      command: string[];
      env: EnvVar[];
      numNodes: number;
      numProcPerNode: number;
      resourcesPerNode: ResourceRequirements;
    };
    runtimePatches: {
      manager: string;
      trainingRuntimeSpec: {
        template: {
          spec: { replicatedJobs: { name: string; template: { spec: { template: PodPatch } } }[] };
        };
      };
    }[];
  };
}

export function renderTrainJob(input: RenderJobInput): {
  manifests: [TrainJobManifest];
  torchrun: string[];
  notes: string[];
} {
  const { job } = input;
  const line = torchrunLine(
    job,
    input.runtime,
    { masterAddr: "", rdzvId: job.name, injected: true },
    {
      logDir: input.logDir,
    },
  );
  const tolerations = podTolerations(job);
  const selector = job.kubernetes.nodeSelector;
  const manifest: TrainJobManifest = {
    apiVersion: "trainer.kubeflow.org/v1alpha1",
    kind: "TrainJob",
    metadata: { name: job.name, namespace: job.kubernetes.namespace, labels: objectLabels(job) },
    spec: {
      runtimeRef: {
        apiGroup: "trainer.kubeflow.org",
        kind: "ClusterTrainingRuntime",
        name: "torch-distributed",
      },
      trainer: {
        image: input.image.ref,
        command: line.argv,
        env: envList(jobEnv(job)),
        numNodes: job.nodes.max,
        numProcPerNode: procsOf(job),
        resourcesPerNode: nodeResources(job),
      },
      runtimePatches: [
        {
          manager: TRAINJOB_PATCH_MANAGER,
          trainingRuntimeSpec: {
            template: {
              spec: {
                replicatedJobs: [
                  {
                    name: "node",
                    template: {
                      spec: {
                        template: {
                          metadata: { labels: podLabels(job) },
                          spec: {
                            ...(job.kubernetes.serviceAccount
                              ? { serviceAccountName: job.kubernetes.serviceAccount }
                              : {}),
                            securityContext: podSecurity(input),
                            containers: [
                              {
                                name: "node",
                                securityContext: CONTAINER_SECURITY,
                                volumeMounts: volumeMounts(job),
                              },
                            ],
                            volumes: podVolumes(job),
                            ...(tolerations.length > 0 ? { tolerations } : {}),
                            ...(Object.keys(selector).length > 0 ? { nodeSelector: selector } : {}),
                          },
                        },
                      },
                    },
                  },
                ],
              },
            },
          },
        },
      ],
    },
  };
  return {
    manifests: [manifest],
    torchrun: line.argv,
    notes: [
      "Trainer v2 has no elastic mode and restarts whole jobs: torchrun's --max_restarts is the cap",
      "non-root, /dev/shm, service account, tolerations and node selector go through runtimePatches (container resources cannot: they are resourcesPerNode)",
      ...(job.kubernetes.priorityClass
        ? [
            `priority class ${job.kubernetes.priorityClass} is not rendered: a TrainJob's runtimePatches cannot set priorityClassName (set it in the ClusterTrainingRuntime, or use flavor jobset)`,
          ]
        : []),
      ...line.notes,
    ],
  };
}
