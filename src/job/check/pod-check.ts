/**
 * `job check`'s `pods` line for Kubernetes: what each node's pod asks for
 * (CPU, memory, GPUs: requests and limits), the QoS class that gives it, and
 * its priority class, service account and Kueue queue — so a BestEffort pod or
 * a priority class a flavor cannot carry is seen before anything queues.
 */
import type { RenderJobInput } from "../job-types.js";
import { procsOf } from "../normalize-job.js";
import { gpuResourceName } from "../render/kubernetes/pod-template.js";
import { computeLists, podCompute, qosClass } from "../resources.js";
import { type JobCheck, pass, problem, skip } from "./job-check-types.js";

const list = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");

export function podCheck(input: RenderJobInput): JobCheck {
  if (input.target !== "kubernetes") return skip("pods", "no pods for this target");
  const { job } = input;
  const flavor = input.flavor ?? job.kubernetes.flavor;
  const compute = podCompute(job, procsOf(job));
  const { requests, limits } = computeLists(compute);
  const gpus = job.gpusPerNode.count > 0 ? { [gpuResourceName(job)]: String(job.gpusPerNode.count) } : {};
  const defaulted =
    compute.defaulted.length > 0
      ? ` (${compute.defaulted.join(" and ")} by default: one CPU and /dev/shm + 1 GiB per rank; set job.resources)`
      : "";
  const identity = [
    `priority class ${job.kubernetes.priorityClass ?? "the namespace default"}`,
    `service account ${job.kubernetes.serviceAccount ?? "default"}`,
    job.kubernetes.queue ? `Kueue queue ${job.kubernetes.queue}` : "no Kueue queue",
  ].join(", ");
  const message =
    `each pod requests ${list({ ...requests, ...gpus })}${defaulted}; limits ` +
    `${Object.keys({ ...limits, ...gpus }).length > 0 ? list({ ...limits, ...gpus }) : "none"}: ` +
    `${qosClass(compute)} QoS; ${identity}`;
  if (flavor === "trainjob" && job.kubernetes.priorityClass)
    return problem(
      "warn",
      "pods",
      "E_JOB_RESOURCES",
      `${message} — but a TrainJob cannot set its pods' priorityClassName (runtimePatches do not carry it), so ${job.kubernetes.priorityClass} is not applied`,
      [
        "set priorityClassName in the ClusterTrainingRuntime the TrainJob names",
        "or job.kubernetes.flavor: jobset (the same pods, priority class set)",
      ],
    );
  return pass("pods", message);
}
