/**
 * `torchstack job check --target …`: everything that can be known before the job
 * queues — strict manifest validation, `sbatch --test-only`, the image where the
 * target pulls it, the script in the workspace, shm and GPUs, the rendezvous.
 * Exits 1 when any check fails, with every check and its fix in the report.
 */
import { UsageError } from "../../errors/torchstack-error.js";
import { runProcess } from "../../process/run-process.js";
import { checkJobWorkflow } from "../../workflows/job-check.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";
import { jobTargetOptions, readJobTarget } from "./job-target-options.js";

const MARK = { pass: "ok  ", fail: "FAIL", warn: "warn", skip: "skip" } as const;

export const jobCheckCommand = defineCommand({
  name: "job check",
  summary: "validate the job for a target before anything queues",
  usage:
    "job check --target local|slurm|kubernetes [--flavor F] [-f SPEC] [--workspace DIR] [--server [--kubeconfig FILE] [--context NAME]]",
  description:
    "Renders the job and checks it: Kubernetes manifests against the CRD and built-in schemas with unknown " +
    "fields rejected (CRDs from the folder in TORCHSTACK_K8S_SCHEMAS, else the cluster through kubectl; a CRD " +
    "not found is skipped, and said so, with the fix); `sbatch --test-only` when a Slurm controller answers (skipped, and said so, otherwise); " +
    "With --server (Kubernetes), every object also goes through the cluster's own admission in a server-side dry run " +
    "(kubectl apply --dry-run=server; nothing is created), each rejection with its object, field path, the server's message and a fix; " +
    "an object that already exists is a FAIL with the choice (a new name, or delete it first). " +
    "the image where the target pulls it (an image that exists only here is an error for a cluster, with the " +
    "fix); the command's script in the workspace; shm and GPU requests; a rendezvous that can work. " +
    'With --json: {"ok","target","checks":[{"id","status","message","code","fix"}]}. Exits 1 when a check fails.',
  options: {
    ...jobTargetOptions,
    file: specFileOption,
    server: {
      type: "boolean",
      description: "Kubernetes: a server-side dry run of every object against the cluster (kubectl)",
    },
    kubeconfig: { type: "string", valueName: "FILE", description: "with --server: the kubeconfig to use" },
    context: {
      type: "string",
      valueName: "NAME",
      description: "with --server: the kubeconfig context to use",
    },
  },
  examples: [
    "torchstack job check --target kubernetes --flavor trainjob",
    "torchstack job check --target slurm --json",
    "torchstack job check --target kubernetes --server --context prod",
  ],
  async run(input, io) {
    const { target, flavor, workspace } = readJobTarget(input);
    const { server, kubeconfig, context } = input.flags;
    if ((kubeconfig !== undefined || context !== undefined) && !server)
      throw new UsageError("--kubeconfig and --context go with --server");
    if (server && target !== "kubernetes")
      throw new UsageError("--server applies to --target kubernetes only");
    const result = await checkJobWorkflow({
      cwd: io.cwd,
      file: input.flags.file,
      target,
      flavor,
      workspace,
      env: io.env,
      reporter: io.reporter,
      run: runProcess,
      ...(server ? { server: { kubeconfig, context } } : {}),
    });
    const { rendered, checks, ok } = result;
    const lines = checks.flatMap((check) => [
      `${MARK[check.status]} ${check.id}: ${check.message}${check.code ? ` (${check.code})` : ""}`,
      ...(check.fix ?? []).map((fix) => `       fix: ${fix}`),
    ]);
    const verdict = ok
      ? `job ${rendered.name} is ready for ${rendered.target}`
      : `job ${rendered.name} would fail on ${rendered.target}: fix the FAIL lines first`;
    return {
      json: {
        ok,
        target: rendered.target,
        ...(rendered.flavor ? { flavor: rendered.flavor } : {}),
        name: rendered.name,
        image: rendered.image,
        checks,
      },
      text: [...lines, verdict].join("\n"),
      exitCode: ok ? 0 : 1,
    };
  },
});
