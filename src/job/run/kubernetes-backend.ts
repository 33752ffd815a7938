/**
 * The Kubernetes target, on the current kubectl context: `kubectl apply` of the
 * rendered manifests, `kubectl get KIND NAME -o json` (and the pods' waiting
 * reasons, so ImagePullBackOff is a stuck PENDING, not a queue) for the state,
 * `kubectl logs --prefix` for the output and `kubectl delete` to cancel.
 */
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { TorchstackError } from "../../errors/torchstack-error.js";
import type { RenderedJob } from "../job-types.js";
import type { BackendContext, JobBackend, SubmitInput, SubmitResult } from "./job-backend.js";
import type { JobRecord } from "./job-record.js";
import type { JobStatusReport } from "./job-state.js";

const WORKLOAD_KINDS = ["TrainJob", "JobSet", "PyTorchJob", "Job"] as const;

/** The label every pod of the workload carries, per kind. */
const POD_LABEL: Record<string, string> = {
  Job: "batch.kubernetes.io/job-name",
  JobSet: "jobset.sigs.k8s.io/jobset-name",
  TrainJob: "jobset.sigs.k8s.io/jobset-name",
  PyTorchJob: "training.kubeflow.org/job-name",
};

/** Waiting reasons that no amount of queueing fixes. */
const STUCK_WAITING = [
  "ErrImagePull",
  "ErrImageNeverPull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
  "CrashLoopBackOff",
];

export interface Workload {
  kind: string;
  name: string;
  namespace: string;
}

/** The object whose status is the job's (TrainJob, JobSet, PyTorchJob or the Indexed Job). */
export function workloadOf(rendered: RenderedJob, namespace: string): Workload {
  for (const file of rendered.files) {
    for (const doc of parseAllDocuments(file.content)) {
      const value = doc.toJS() as {
        kind?: unknown;
        metadata?: { name?: unknown; namespace?: unknown };
      } | null;
      const kind = typeof value?.kind === "string" ? value.kind : "";
      if ((WORKLOAD_KINDS as readonly string[]).includes(kind) && typeof value?.metadata?.name === "string") {
        const ns = typeof value.metadata.namespace === "string" ? value.metadata.namespace : namespace;
        return { kind, name: value.metadata.name, namespace: ns };
      }
    }
  }
  throw new TorchstackError("E_INTERNAL", "the Kubernetes render has no TrainJob, JobSet, PyTorchJob or Job");
}

const conditionSchema = z
  .object({
    type: z.string(),
    status: z.string(),
    reason: z.string().optional(),
    message: z.string().optional(),
  })
  .passthrough();
const objectSchema = z
  .object({
    spec: z.object({ suspend: z.boolean().optional() }).passthrough().optional(),
    status: z
      .object({
        conditions: z.array(conditionSchema).optional(),
        active: z.number().optional(),
        succeeded: z.number().optional(),
        failed: z.number().optional(),
        replicatedJobsStatus: z.array(z.object({ active: z.number().optional() }).passthrough()).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
const podsSchema = z.object({
  items: z.array(
    z
      .object({
        status: z
          .object({
            phase: z.string().optional(),
            containerStatuses: z
              .array(
                z
                  .object({
                    state: z
                      .object({
                        waiting: z
                          .object({ reason: z.string().optional(), message: z.string().optional() })
                          .optional(),
                      })
                      .passthrough()
                      .optional(),
                  })
                  .passthrough(),
              )
              .optional(),
          })
          .passthrough()
          .optional(),
      })
      .passthrough(),
  ),
});

/** The job's report from the workload object and its pods (pure). */
export function reportFromKubernetes(objectJson: string, podsJson: string | null): JobStatusReport {
  const object = objectSchema.parse(JSON.parse(objectJson));
  const conditions = object.status?.conditions ?? [];
  const on = (type: string) => conditions.find((c) => c.type === type && c.status === "True");
  const done = on("Complete") ?? on("Completed") ?? on("Succeeded");
  if (done) return { state: "COMPLETED", reason: null, stuck: false, exitCode: 0 };
  const failed = on("Failed");
  if (failed)
    return {
      state: "FAILED",
      reason: failed.reason ?? failed.message ?? "Failed",
      stuck: false,
      exitCode: null,
    };
  const pods = podsJson ? podsSchema.parse(JSON.parse(podsJson)).items : [];
  const waiting = pods
    .flatMap((pod) => pod.status?.containerStatuses ?? [])
    .map((status) => status.state?.waiting)
    .find((w) => w?.reason && STUCK_WAITING.includes(w.reason));
  if (waiting?.reason)
    return {
      state: "PENDING",
      reason: `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`,
      stuck: true,
      exitCode: null,
    };
  if (object.spec?.suspend || on("Suspended"))
    return {
      state: "PENDING",
      reason: "Suspended (waiting for a queue to admit it)",
      stuck: false,
      exitCode: null,
    };
  if (pods.some((pod) => pod.status?.phase === "Running"))
    return { state: "RUNNING", reason: null, stuck: false, exitCode: null };
  return {
    state: "PENDING",
    reason: pods.length === 0 ? "no pods yet" : "pods are not scheduled yet",
    stuck: false,
    exitCode: null,
  };
}

export function kubernetesBackend(ctx: BackendContext): JobBackend {
  const kubectl = ctx.env.TORCHSTACK_KUBECTL || "kubectl";
  const run = (args: string[]) => ctx.run(kubectl, args, { env: ctx.env, reject: false, timeoutMs: 60_000 });
  const workload = (record: JobRecord): Workload => {
    if (!record.kubernetes)
      throw new TorchstackError(
        "E_JOB_RECORD_CORRUPT",
        `the record of job ${record.id} names no Kubernetes object`,
      );
    return record.kubernetes;
  };
  /**
   * `kubectl apply` onto a workload of the same name would either change nothing (a finished Job: the new run
   * would report the old one's state) or be refused ("field is immutable"). So an existing one stops the run
   * with the choice, unless `--replace` asked to delete it (and, through the owner references, its pods).
   */
  async function makeRoom(w: Workload, input: SubmitInput): Promise<void> {
    const found = await run([
      "get",
      w.kind,
      w.name,
      "--namespace",
      w.namespace,
      "--ignore-not-found",
      "--output",
      "name",
    ]);
    if (found.exitCode !== 0 || found.stdout.trim() === "") return;
    const del = `kubectl delete ${w.kind} ${w.name} --namespace ${w.namespace}`;
    if (!input.replace)
      throw new TorchstackError(
        "E_JOB_EXISTS",
        `${w.kind}/${w.name} is already in namespace ${w.namespace}: applying the job again would not start a new run ` +
          "(a Job's pod template cannot change, and an unchanged one keeps its old state)",
        {
          remedies: [
            `replace it (its pods and their logs go with it): ${input.runCommand ? `${input.runCommand} --replace` : "torchstack job run --target kubernetes --replace"}`,
            `or delete it yourself: ${del}`,
            "or run under another name: the spec's name (it names the workload), or job.kubernetes.namespace",
          ],
        },
      );
    ctx.progress(
      `--replace: deleting ${w.kind}/${w.name} in namespace ${w.namespace} and waiting until it is gone`,
    );
    const deleted = await run([
      "delete",
      w.kind,
      w.name,
      "--namespace",
      w.namespace,
      "--wait=true",
      "--timeout=50s",
    ]);
    if (deleted.exitCode !== 0)
      throw new TorchstackError(
        "E_JOB_SUBMIT_FAILED",
        `kubectl could not delete ${w.kind}/${w.name} for --replace: ${deleted.stderr.trim().split("\n").at(-1) ?? ""}`,
        { remedies: [`${del}, then run the job again`] },
      );
  }

  async function status(record: JobRecord): Promise<JobStatusReport> {
    const w = workload(record);
    const got = await run(["get", w.kind, w.name, "--namespace", w.namespace, "--output", "json"]);
    if (got.exitCode !== 0) {
      if (/NotFound/i.test(got.stderr))
        return {
          state: record.cancelRequested ? "CANCELLED" : record.state,
          reason: record.reason ?? "the object no longer exists",
          stuck: false,
          exitCode: record.exitCode,
        };
      throw new TorchstackError(
        "E_JOB_SCHEDULER",
        `kubectl get ${w.kind} ${w.name} failed: ${got.stderr.trim().split("\n").at(-1) ?? ""}`,
        {
          remedies: ["kubectl config current-context", `kubectl get ${w.kind} --namespace ${w.namespace}`],
        },
      );
    }
    const label = POD_LABEL[w.kind] ?? "batch.kubernetes.io/job-name";
    const pods = await run([
      "get",
      "pods",
      "--namespace",
      w.namespace,
      "--selector",
      `${label}=${w.name}`,
      "--output",
      "json",
    ]);
    return reportFromKubernetes(got.stdout, pods.exitCode === 0 ? pods.stdout : null);
  }
  return {
    submits: true,
    rankFiles: "none",
    // the cluster pulls the image and keeps no rank files in a workspace here
    prepare: async () => {},
    placeRanks: (input) => ({ input, ranks: null }),
    adjust: (rendered) => rendered,
    savedFiles: (rendered) => rendered.files,
    firstRecord: ({ rendered, input }) => ({
      kubernetes: workloadOf(rendered, input.job.kubernetes.namespace),
    }),
    async submit(input: SubmitInput): Promise<SubmitResult> {
      const w = workload(input.record);
      await makeRoom(w, input);
      const files = input.rendered.files.flatMap((file) => ["-f", join(input.dir, file.path)]);
      const applied = await run(["apply", "--namespace", w.namespace, ...files]);
      if (applied.exitCode !== 0)
        throw new TorchstackError(
          "E_JOB_SUBMIT_FAILED",
          `kubectl apply refused the job: ${applied.stderr.trim().split("\n").at(-1) ?? ""}`,
          {
            remedies: [
              input.checkCommand ?? "torchstack job check --target kubernetes",
              "kubectl config current-context (the cluster it talks to)",
            ],
          },
        );
      ctx.progress(`applied ${w.kind}/${w.name} in namespace ${w.namespace}`);
      return {
        schedulerId: `${w.kind}/${w.name}`,
        status: { state: "PENDING", reason: "submitted", stuck: false, exitCode: null },
      };
    },
    status,
    async cancel(record: JobRecord): Promise<void> {
      const w = workload(record);
      await run(["delete", w.kind, w.name, "--namespace", w.namespace, "--wait=false", "--ignore-not-found"]);
    },
    forceStopCommand(record) {
      const w = record.kubernetes;
      return w
        ? `kubectl delete ${w.kind} ${w.name} --namespace ${w.namespace}`
        : `kubectl delete ${record.schedulerId}`;
    },
    async output(record: JobRecord): Promise<string> {
      const w = workload(record);
      const label = POD_LABEL[w.kind] ?? "batch.kubernetes.io/job-name";
      const logs = await run([
        "logs",
        "--namespace",
        w.namespace,
        "--selector",
        `${label}=${w.name}`,
        "--prefix",
        "--all-containers",
        "--tail=-1",
        "--max-log-requests=64",
      ]);
      return logs.stdout;
    },
  };
}
