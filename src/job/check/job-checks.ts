/**
 * The checks `job check` makes before anything queues, as pure functions of the
 * render input, the render and a few facts gathered by the caller (the CRD
 * schemas among them): strict manifest validation, the image where the target pulls it, the script in the
 * workspace, shm and GPU requests, and a rendezvous that can work.
 */
import { jobCommandLine } from "../job-command-line.js";
import type { RenderedJob, RenderJobInput } from "../job-types.js";
import type { CelEvaluate } from "../kubernetes/cel-rules.js";
import type { CrdSchemas } from "../kubernetes/crd-schemas.js";
import { CRD_SOURCE_FIX } from "../kubernetes/crd-source.js";
import { validateManifests } from "../kubernetes/validate-manifests.js";
import { procsOf } from "../normalize-job.js";
import { manifestObjects } from "../render/kubernetes/render-kubernetes.js";
import { scriptOf } from "../render/torchrun-args.js";
import { type JobCheck, pass, problem, skip } from "./job-check-types.js";
import { podCheck } from "./pod-check.js";

export interface CheckFacts {
  /** The script exists in the workspace (undefined: the command names no script). */
  scriptExists: boolean | undefined;
  /** The workspace folder exists (undefined: not asked). */
  workspaceExists?: boolean | undefined;
  /** The image is in the local engine (local target), undefined when not asked. */
  imageLocal: boolean | undefined;
  specFile: string;
  /** The CRD schemas for the Kubernetes target's manifests (none given: CRD kinds are skipped). */
  crds?: CrdSchemas;
  /** Evaluates the CRDs' CEL rules (none given: they are not evaluated, and the report says so). */
  cel?: CelEvaluate;
}

const SMALL_SHM = 64 * 1024 * 1024;

/** CRD schemas from no source: every CRD kind is skipped with this reason. */
const NO_CRDS: CrdSchemas = { origin: "none", schemas: new Map(), missing: new Map() };

export function manifestCheck(
  rendered: RenderedJob,
  crds: CrdSchemas = NO_CRDS,
  cel?: CelEvaluate,
  renderCommand = "torchstack job render --target kubernetes",
): JobCheck {
  if (rendered.target !== "kubernetes") return skip("manifests", "no manifests for this target");
  const { problems, skipped, objects, ...validated } = validateManifests(
    manifestObjects(rendered),
    crds,
    cel,
  );
  const notChecked = skipped.map((s) => `${s.object}: ${s.reason}`).join("; ");
  if (problems.length > 0)
    return problem(
      "fail",
      "manifests",
      "E_JOB_MANIFEST_INVALID",
      problems.map((p) => `${p.object} ${p.path || "/"}: ${p.message}`).join("; ") +
        (skipped.length > 0 ? `; not validated (no schema): ${notChecked}` : ""),
      [`report this render: ${renderCommand} --json`],
    );
  if (skipped.length === 0)
    return pass(
      "manifests",
      `${rendered.flavor} manifests pass strict schema validation (unknown fields rejected; CRDs from ${crds.origin})` +
        `, the API server's built-in pod and Job rules` +
        (cel && validated.cel.evaluated + validated.cel.transitionRules === 0
          ? " (no CEL rules: built-in kinds only)"
          : cel
            ? ` and ${validated.cel.evaluated} create-time CEL rule(s)${validated.cel.transitionRules > 0 ? ` (${validated.cel.transitionRules} immutability rule(s) apply only when the objects already exist: job check --server)` : ""}`
            : " (CEL rules not evaluated)"),
    );
  const skippedObjects = new Set(skipped.map((s) => s.object));
  const checked = objects.filter((object) => !skippedObjects.has(object));
  return {
    ...skip(
      "manifests",
      `CRD validation skipped for ${notChecked}` +
        (checked.length > 0
          ? `; ${checked.join(", ")} ${checked.length === 1 ? "passes" : "pass"} strict schema validation`
          : ""),
    ),
    fix: CRD_SOURCE_FIX,
  };
}

export function imageCheck(input: RenderJobInput, facts: CheckFacts): JobCheck {
  const { image, target } = input;
  const form = input.job.slurm.container;
  const pushFix = [
    `torchstack build -f ${facts.specFile} --push REGISTRY (records the pushed digest in the lock)`,
    `then: ${jobCommandLine("check", input, facts.specFile)}`,
  ];
  if (target === "local") {
    if (facts.imageLocal === false)
      return problem("fail", "image", "E_NO_IMAGE", `${image.ref} is not in the local engine`, [
        `torchstack build -f ${facts.specFile}`,
      ]);
    return pass("image", `${image.ref} is in the local engine`);
  }
  if (target === "slurm" && form === "none")
    return skip("image", "container: none runs host Python: no image");
  if (target === "slurm" && form === "oci") {
    if (facts.imageLocal === false)
      return problem(
        "fail",
        "image",
        "E_NO_IMAGE",
        `${image.localTag} is not in the local engine to export the OCI bundle from`,
        [`torchstack build -f ${facts.specFile}`],
      );
    return pass(
      "image",
      `job run exports ${image.localTag} into the OCI bundle the nodes read (no registry needed)`,
    );
  }
  if (image.registry !== null && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(image.registry))
    return problem(
      "warn",
      "image",
      "E_JOB_IMAGE_LOCAL",
      `${image.ref} is pushed to ${image.registry}, a loopback registry: the cluster's nodes reach it only if each runs one there`,
      [`torchstack build -f ${facts.specFile} --push REGISTRY (one the nodes can reach)`],
    );
  if (image.registry !== null)
    return pass("image", `${image.ref} is pushed to ${image.registry} and pinned by digest`);
  if (target === "slurm" && (form === "docker" || form === "podman"))
    return problem(
      "warn",
      "image",
      "E_JOB_IMAGE_LOCAL",
      `${image.ref} is in no registry: every node's ${form} must already have it`,
      pushFix,
    );
  return problem(
    "fail",
    "image",
    "E_JOB_IMAGE_LOCAL",
    `${image.ref} exists only on this machine, but ${target === "kubernetes" ? "the cluster's nodes" : `${form} on the nodes`} would pull it (the job would sit PENDING or fail to pull)`,
    pushFix,
  );
}

export function scriptCheck(input: RenderJobInput, facts: CheckFacts): JobCheck {
  const script = scriptOf(input.job.command);
  if (facts.workspaceExists === false && input.target !== "kubernetes")
    return problem(
      "fail",
      "script",
      "E_JOB_WORKSPACE_MISSING",
      `the workspace ${input.workspace} does not exist (job run never creates it: a mistyped --workspace would run nothing)`,
      [
        `pass the folder that holds ${script ?? "the job's files"}: --workspace DIR (default: the spec's folder)`,
        `or create it first: mkdir -p ${input.workspace}`,
      ],
    );
  if (script === undefined) return skip("script", "the command names no .py script to look for");
  if (facts.scriptExists === false)
    return problem(
      "fail",
      "script",
      "E_JOB_SCRIPT_MISSING",
      `${script} is not in the workspace ${input.workspace}`,
      [
        `check job.command in ${facts.specFile} (paths are relative to the workspace)`,
        "or pass the folder that holds it: --workspace DIR",
      ],
    );
  if (input.target === "kubernetes" && !input.job.kubernetes.workspaceClaim)
    return problem(
      "warn",
      "script",
      "E_JOB_SCRIPT_MISSING",
      `${script} is in the workspace here, but the pods get no workspace: it must be in the image at /workspace`,
      ["job.kubernetes.workspaceClaim: CLAIM (a PersistentVolumeClaim holding the workspace)"],
    );
  return pass("script", `${script} is in the workspace`);
}

/**
 * GPUs asked for an image whose torch is a CPU-only build: a FAIL, not a warning. No rank can use them
 * (torch.cuda.is_available() is False in that image), the scheduler still reserves them idle, and
 * `procsPerNode: gpu` starts one CPU rank per reserved GPU. A job that reaches GPUs through another library
 * in a CPU-torch image is rare enough to pass `job run --no-check` on purpose.
 */
function cpuBuildCheck(input: RenderJobInput, specFile: string): JobCheck | null {
  const { job, runtime } = input;
  if (job.gpusPerNode.count === 0 || runtime.cuda !== null) return null;
  const build =
    runtime.torchSource === "distro" ? "the distribution's CPU-only build" : "a CPU-only wheel (no CUDA)";
  return problem(
    "fail",
    "resources",
    "E_JOB_RESOURCES",
    `${job.gpusPerNode.count} GPU(s) per node, but the lock's build is torch ${runtime.torch}, ${build}: ` +
      "no rank can use a GPU, and the scheduler would reserve them idle",
    [
      `job.gpusPerNode: 0 in ${specFile} (ranks on CPUs: procsPerNode: N)`,
      `or lock a CUDA build: cuda: "12.8" in ${specFile}, then torchstack lock -f ${specFile} and torchstack build -f ${specFile}`,
    ],
  );
}

export function resourceChecks(input: RenderJobInput, specFile = "torchstack.yaml"): JobCheck[] {
  const { job } = input;
  const gpus = job.gpusPerNode;
  const checks: JobCheck[] = [];
  const cpuBuild = cpuBuildCheck(input, specFile);
  if (cpuBuild) checks.push(cpuBuild);
  if (job.shmBytes <= SMALL_SHM)
    checks.push(
      problem(
        "fail",
        "resources",
        "E_JOB_RESOURCES",
        `shm ${job.shm} is Docker's tiny default: DataLoader workers and NCCL die with Bus error`,
        ["job.shm: 8g"],
      ),
    );
  if (gpus.count > 0 && typeof job.procsPerNode === "number" && job.procsPerNode > gpus.count)
    checks.push(
      problem(
        "fail",
        "resources",
        "E_JOB_RESOURCES",
        `${job.procsPerNode} ranks per node but ${gpus.count} GPU(s): NCCL needs one GPU per rank`,
        [`job.procsPerNode: gpu (one per GPU)`, `job.gpusPerNode: ${job.procsPerNode}`],
      ),
    );
  const world = procsOf(job) * job.nodes.max;
  if (gpus.mig && world > 1)
    checks.push(
      problem(
        "warn",
        "resources",
        "E_JOB_RESOURCES",
        `MIG slices (${gpus.mig}) give each process one isolated slice: NCCL cannot communicate across MIG instances`,
        ["whole GPUs (gpusPerNode: N) for multi-rank NCCL jobs"],
      ),
    );
  if (checks.length === 0)
    checks.push(
      pass(
        "resources",
        `${procsOf(job)} rank(s) per node, ${gpus.count} ${gpus.mig ? `MIG ${gpus.mig} slice(s)` : "GPU(s)"}, /dev/shm ${job.shm}`,
      ),
    );
  return checks;
}

export function rendezvousCheck(input: RenderJobInput): JobCheck {
  const { job } = input;
  const fixed = job.nodes.min === job.nodes.max;
  if (job.nodes.max === 1)
    return pass("rendezvous", "one node: torchrun --standalone (no endpoint to reach)");
  if (fixed && job.rendezvous === "c10d")
    return problem(
      "warn",
      "rendezvous",
      "E_JOB_RENDEZVOUS",
      "c10d rendezvous for a fixed size: its endpoint must be pod 0's full name (a DNS alias hangs on torch 1.13)",
      ["job.rendezvous: auto (static for a fixed size)"],
    );
  const where =
    input.target === "slurm"
      ? "the first node of the allocation (scontrol show hostnames)"
      : input.target === "kubernetes"
        ? "pod 0 through the job's headless service (not-ready addresses published)"
        : "this machine";
  return pass("rendezvous", `${job.rendezvous} rendezvous on port ${job.port} at ${where}`);
}

export function jobChecks(input: RenderJobInput, rendered: RenderedJob, facts: CheckFacts): JobCheck[] {
  return [
    manifestCheck(rendered, facts.crds, facts.cel, jobCommandLine("render", input, facts.specFile)),
    imageCheck(input, facts),
    scriptCheck(input, facts),
    ...resourceChecks(input, facts.specFile),
    ...(input.target === "kubernetes" ? [podCheck(input)] : []),
    rendezvousCheck(input),
  ];
}
