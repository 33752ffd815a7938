/**
 * `job check` as a workflow: render the job for the target, gather the facts
 * the pure checks need (the script in the workspace, the image in the local
 * engine, the CRD schemas from TORCHSTACK_K8S_SCHEMAS or the cluster), ask the Slurm controller with `sbatch --test-only` when one
 * answers, and return every check with an overall verdict.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { dockerCli } from "../engine/docker-cli.js";
import type { JobCheck } from "../job/check/job-check-types.js";
import { jobChecks } from "../job/check/job-checks.js";
import { sbatchTestOnly } from "../job/check/sbatch-test-only.js";
import { type ServerTarget, serverDryRun } from "../job/check/server-dry-run.js";
import type { RenderedJob, RenderJobInput } from "../job/job-types.js";
import { celEvaluate } from "../job/kubernetes/cel-evaluator.js";
import { loadCrdSchemas } from "../job/kubernetes/crd-schemas.js";
import { resolveCrdSource } from "../job/kubernetes/crd-source.js";
import { crdKeysFor } from "../job/kubernetes/validate-manifests.js";
import { manifestObjects } from "../job/render/kubernetes/render-kubernetes.js";
import { renderJob } from "../job/render/render-job.js";
import { scriptOf } from "../job/render/torchrun-args.js";
import type { ProcessRunner } from "../process/run-process.js";
import { type JobRenderOptions, loadJobRenderInput } from "./job-render-input.js";

export interface JobCheckResult {
  ok: boolean;
  /** What was checked: `job run` runs exactly this input. */
  input: RenderJobInput;
  specFile: string;
  rendered: RenderedJob;
  checks: JobCheck[];
}

/** The workspace is a folder (a missing one is never created: a typo must not run). */
export function workspaceExists(workspace: string): boolean {
  return existsSync(workspace) && statSync(workspace).isDirectory();
}

async function imageInEngine(ref: string, run: ProcessRunner, env: NodeJS.ProcessEnv): Promise<boolean> {
  const docker = dockerCli("build", env);
  const result = await run(docker, ["image", "inspect", "--format", "{{.Id}}", ref], {
    env,
    reject: false,
    timeoutMs: 20_000,
  }).catch(() => undefined);
  return result?.exitCode === 0;
}

async function loadCrds(
  rendered: RenderedJob,
  options: JobRenderOptions & { run: ProcessRunner; server?: ServerTarget | undefined },
) {
  const source = await resolveCrdSource({
    run: options.run,
    env: options.env,
    context: options.server?.context,
  });
  options.reporter.step(
    `CRD schemas: ${source.origin === "none" ? "none found (CRD validation will be skipped)" : source.origin}`,
  );
  return loadCrdSchemas(source, crdKeysFor(manifestObjects(rendered)));
}

export async function checkJobWorkflow(
  given: JobRenderOptions & { run: ProcessRunner; server?: ServerTarget | undefined },
): Promise<JobCheckResult> {
  // --kubeconfig names the cluster for every kubectl call of the check (its CRDs too)
  const kubeconfig = given.server?.kubeconfig;
  const options = kubeconfig ? { ...given, env: { ...given.env, KUBECONFIG: kubeconfig } } : given;
  const { input, specFile } = await loadJobRenderInput({ ...options, verifyLock: true });
  const rendered = renderJob(input);
  const script = scriptOf(input.job.command);
  const scriptPath = script === undefined ? undefined : join(input.workspace, script);
  options.reporter.step(
    `checking ${rendered.name} for ${rendered.target}${rendered.flavor ? ` (${rendered.flavor})` : ""}`,
  );
  const facts = {
    specFile,
    workspaceExists: workspaceExists(input.workspace),
    scriptExists:
      scriptPath === undefined ? undefined : existsSync(scriptPath) && statSync(scriptPath).isFile(),
    imageLocal:
      input.target === "local"
        ? await imageInEngine(input.image.ref, options.run, options.env)
        : input.target === "slurm" && input.job.slurm.container === "oci"
          ? await imageInEngine(input.image.localTag, options.run, options.env)
          : undefined,
  };
  const crds = rendered.target === "kubernetes" ? await loadCrds(rendered, options) : undefined;
  const cel = rendered.target === "kubernetes" ? celEvaluate : undefined;
  const checks = jobChecks(input, rendered, { ...facts, crds, ...(cel ? { cel } : {}) });
  if (options.server && rendered.target === "kubernetes") {
    options.reporter.step("asking the API server (kubectl apply --dry-run=server, one object at a time)");
    checks.push(
      await serverDryRun(manifestObjects(rendered), input.job.kubernetes.namespace, options.server, {
        run: options.run,
        env: options.server.kubeconfig
          ? { ...options.env, KUBECONFIG: options.server.kubeconfig }
          : options.env,
      }),
    );
  }
  if (rendered.target === "slurm") {
    options.reporter.step("asking the Slurm controller (sbatch --test-only)");
    checks.push(
      await sbatchTestOnly(rendered.files[0]?.content ?? "", { run: options.run, env: options.env }),
    );
  }
  return { ok: checks.every((check) => check.status !== "fail"), input, specFile, rendered, checks };
}
