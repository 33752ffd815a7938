/**
 * The Kubernetes target: picks the flavor's renderer, refuses what a flavor
 * cannot do (elastic sizes outside PyTorchJob), and prints the manifests as one
 * multi-document YAML file applied with `kubectl apply -f`.
 */
import { parse as parseYamlDoc, stringify } from "yaml";
import { TorchstackError } from "../../../errors/torchstack-error.js";
import type { KubernetesFlavor, RenderedJob, RenderJobInput } from "../../job-types.js";
import { renderIndexedJob } from "./render-indexed-job.js";
import { renderJobSet } from "./render-jobset.js";
import { renderPyTorchJob } from "./render-pytorchjob.js";
import { renderTrainJob } from "./render-trainjob.js";

export function manifestsYaml(manifests: readonly unknown[]): string {
  return manifests.map((m) => stringify(m, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

function renderFlavor(flavor: KubernetesFlavor, input: RenderJobInput) {
  switch (flavor) {
    case "indexed-job":
      return renderIndexedJob(input);
    case "jobset":
      return renderJobSet(input);
    case "trainjob":
      return renderTrainJob(input);
    case "pytorchjob":
      return renderPyTorchJob(input);
  }
}

export function renderKubernetes(input: RenderJobInput): RenderedJob {
  const flavor = input.flavor ?? input.job.kubernetes.flavor;
  const { nodes } = input.job;
  if (nodes.min !== nodes.max && flavor !== "pytorchjob")
    throw new TorchstackError(
      "E_JOB_INVALID",
      `the ${flavor} flavor runs a fixed number of pods, but job.nodes is elastic (${nodes.min}:${nodes.max})`,
      {
        remedies: [
          `nodes: ${nodes.max} (a fixed size, static rendezvous)`,
          "kubernetes: {flavor: pytorchjob} (elasticPolicy with c10d)",
          "job render --target slurm (elastic allocations)",
        ],
      },
    );
  const rendered = renderFlavor(flavor, input);
  const file = `${input.job.name}.${flavor}.yaml`;
  return {
    target: "kubernetes",
    flavor,
    name: input.job.name,
    image: input.image.ref,
    files: [{ path: file, content: manifestsYaml(rendered.manifests) }],
    launch: ["kubectl", "apply", "--namespace", input.job.kubernetes.namespace, "-f", file],
    torchrun: rendered.torchrun,
    notes: [
      `pods run as ${input.user.uid}:${input.user.gid} (runAsNonRoot), /dev/shm is a ${input.job.shm} in-memory volume`,
      ...rendered.notes,
    ],
  };
}

/** The manifests of a render, parsed back (validation and the pod harness read these). */
export function manifestObjects(rendered: RenderedJob): unknown[] {
  return rendered.files.flatMap((file) =>
    file.path.endsWith(".yaml") ? file.content.split(/^---\n/m).map((doc) => parseYamlDoc(doc)) : [],
  );
}
