/**
 * `jobset`: one replicated job `node` of N indexed pods with JobSet's DNS
 * hostnames (`<job>-node-0-<i>.<job>`), not-ready addresses published,
 * `failurePolicy.maxRestarts` capping whole-job restarts.
 */
import type { JobSpec as BatchJobSpec } from "kubernetes-types/batch/v1.js";
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import type { RenderJobInput } from "../../job-types.js";
import { torchrunLine } from "../torchrun-args.js";
import { nodePodSpec, objectLabels, podLabels } from "./pod-template.js";
import { COMPLETION_INDEX_ANNOTATION } from "./render-indexed-job.js";

export interface JobSetManifest {
  apiVersion: "jobset.x-k8s.io/v1alpha2";
  kind: "JobSet";
  metadata: ObjectMeta;
  spec: {
    failurePolicy: { maxRestarts: number };
    network: { enableDNSHostnames: boolean; publishNotReadyAddresses: boolean; subdomain: string };
    replicatedJobs: { name: string; replicas: number; template: { spec: BatchJobSpec } }[];
  };
}

export function renderJobSet(input: RenderJobInput): {
  manifests: [JobSetManifest];
  torchrun: string[];
  notes: string[];
} {
  const { job } = input;
  const nodes = job.nodes.max;
  const line = torchrunLine(
    job,
    input.runtime,
    {
      nodeRank: "$(JOB_COMPLETION_INDEX)",
      masterAddr: `${job.name}-node-0-0.${job.name}`,
      rdzvId: job.name,
    },
    { logDir: input.logDir },
  );
  const manifest: JobSetManifest = {
    apiVersion: "jobset.x-k8s.io/v1alpha2",
    kind: "JobSet",
    metadata: { name: job.name, namespace: job.kubernetes.namespace, labels: objectLabels(job) },
    spec: {
      failurePolicy: { maxRestarts: job.restarts },
      network: { enableDNSHostnames: true, publishNotReadyAddresses: true, subdomain: job.name },
      replicatedJobs: [
        {
          name: "node",
          replicas: 1,
          template: {
            spec: {
              completionMode: "Indexed",
              completions: nodes,
              parallelism: nodes,
              backoffLimit: 0,
              template: {
                metadata: { labels: podLabels(job) },
                spec: nodePodSpec(input, {
                  name: "node",
                  command: line.argv,
                  env: [
                    {
                      name: "JOB_COMPLETION_INDEX",
                      valueFrom: {
                        fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` },
                      },
                    },
                  ],
                }),
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
      `failurePolicy.maxRestarts ${job.restarts} caps whole-job restarts (JobSet recreates every pod)`,
      ...line.notes,
    ],
  };
}
