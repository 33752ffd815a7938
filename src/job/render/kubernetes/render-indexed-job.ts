/**
 * `indexed-job`: no operator needed. A headless Service (`clusterIP: None`,
 * `publishNotReadyAddresses: true`, so pod 0's name resolves before it is
 * ready) and an Indexed Job whose pods are `<job>-<i>.<job>`; torchrun gets the
 * node rank from JOB_COMPLETION_INDEX and pod 0 as the static master.
 */
import type { Job } from "kubernetes-types/batch/v1.js";
import type { Service } from "kubernetes-types/core/v1.js";
import type { RenderJobInput } from "../../job-types.js";
import { torchrunLine } from "../torchrun-args.js";
import { JOB_LABEL, nodePodSpec, objectLabels, podLabels } from "./pod-template.js";

export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";

export function renderIndexedJob(input: RenderJobInput): {
  manifests: [Service, Job];
  torchrun: string[];
  notes: string[];
} {
  const { job } = input;
  const ns = job.kubernetes.namespace;
  const nodes = job.nodes.max;
  const line = torchrunLine(
    job,
    input.runtime,
    {
      nodeRank: "$(JOB_COMPLETION_INDEX)",
      masterAddr: `${job.name}-0.${job.name}`,
      rdzvId: job.name,
    },
    { logDir: input.logDir },
  );
  const service: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: job.name, namespace: ns, labels: objectLabels(job) },
    spec: {
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: { [JOB_LABEL]: job.name },
      ports: [{ name: "rendezvous", port: job.port, targetPort: job.port, protocol: "TCP" }],
    },
  };
  const manifest: Job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: job.name, namespace: ns, labels: objectLabels(job) },
    spec: {
      completionMode: "Indexed",
      completions: nodes,
      parallelism: nodes,
      backoffLimit: job.restarts,
      template: {
        metadata: { labels: podLabels(job) },
        spec: {
          subdomain: job.name,
          ...nodePodSpec(input, {
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
  };
  return {
    manifests: [service, manifest],
    torchrun: line.argv,
    notes: [
      `headless Service ${job.name} publishes not-ready addresses: pod 0 (${job.name}-0.${job.name}) resolves before it is ready`,
      `backoffLimit ${job.restarts} caps pod re-creations; restartPolicy Never`,
      ...line.notes,
    ],
  };
}
