/**
 * `pytorchjob`: the legacy Training Operator v1 PyTorchJob. Master plus
 * Workers for a fixed size (torchrun reads RANK and MASTER_ADDR the operator
 * injects), or Workers with an `elasticPolicy` (c10d) for elastic node counts;
 * the container is named `pytorch` as the operator requires; `runPolicy.backoffLimit`
 * caps restarts.
 */
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import type { RenderJobInput } from "../../job-types.js";
import { procsOf } from "../../normalize-job.js";
import { torchrunLine } from "../torchrun-args.js";
import { nodePodSpec, objectLabels, podLabels } from "./pod-template.js";

interface ReplicaSpec {
  replicas: number;
  restartPolicy: "Never";
  template: PodTemplateSpec;
}

export interface PyTorchJobManifest {
  apiVersion: "kubeflow.org/v1";
  kind: "PyTorchJob";
  metadata: ObjectMeta;
  spec: {
    nprocPerNode: string;
    runPolicy: { backoffLimit: number };
    elasticPolicy?: {
      minReplicas: number;
      maxReplicas: number;
      rdzvBackend: string;
      maxRestarts: number;
      nProcPerNode: number;
    };
    pytorchReplicaSpecs: { Master?: ReplicaSpec; Worker?: ReplicaSpec };
  };
}

export function renderPyTorchJob(input: RenderJobInput): {
  manifests: [PyTorchJobManifest];
  torchrun: string[];
  notes: string[];
} {
  const { job } = input;
  const elastic = job.nodes.min !== job.nodes.max;
  const line = torchrunLine(
    job,
    input.runtime,
    elastic
      ? { masterAddr: "", rdzvId: job.name, injected: true }
      : { nodeRank: "$(RANK)", masterAddr: "$(MASTER_ADDR)", rdzvId: job.name },
    { logDir: input.logDir },
  );
  const argv = line.argv.map((word) =>
    word.replace(`--master_port=${job.port}`, "--master_port=$(MASTER_PORT)"),
  );
  const template: PodTemplateSpec = {
    metadata: { labels: podLabels(job) },
    spec: nodePodSpec(input, { name: "pytorch", command: argv }),
  };
  const replica = (replicas: number): ReplicaSpec => ({ replicas, restartPolicy: "Never", template });
  const replicas: PyTorchJobManifest["spec"]["pytorchReplicaSpecs"] = elastic
    ? { Worker: replica(job.nodes.max) }
    : { Master: replica(1), ...(job.nodes.max > 1 ? { Worker: replica(job.nodes.max - 1) } : {}) };
  const manifest: PyTorchJobManifest = {
    apiVersion: "kubeflow.org/v1",
    kind: "PyTorchJob",
    metadata: { name: job.name, namespace: job.kubernetes.namespace, labels: objectLabels(job) },
    spec: {
      nprocPerNode: String(procsOf(job)),
      runPolicy: { backoffLimit: job.restarts },
      ...(elastic
        ? {
            elasticPolicy: {
              minReplicas: job.nodes.min,
              maxReplicas: job.nodes.max,
              rdzvBackend: "c10d",
              maxRestarts: job.restarts,
              nProcPerNode: procsOf(job),
            },
          }
        : {}),
      pytorchReplicaSpecs: replicas,
    },
  };
  return {
    manifests: [manifest],
    torchrun: argv,
    notes: [
      "legacy Training Operator v1: container named pytorch, MASTER_ADDR/RANK from the operator",
      `runPolicy.backoffLimit ${job.restarts} caps restarts`,
      ...line.notes,
    ],
  };
}
