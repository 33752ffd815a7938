/**
 * From a spec file to a RenderJobInput: the `job` block normalised (errors
 * with the spec's file and line), the image the lock names — its pushed
 * reference by digest when `build --push` recorded one, else the local tag
 * `build` made — the lock's non-root user and torch, and the workspace.
 * The project is opened once: no lock is E_NO_LOCK; `verifyLock` also resolves
 * the spec again and refuses a stale lock (E_LOCK_STALE, what `job check` does);
 * a render reads the lock as written, which keeps it fast.
 */
import { dirname, resolve } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";
import { lockTag } from "../image-build/image-tags.js";
import type { JobImage, JobTarget, KubernetesFlavor, RenderJobInput } from "../job/job-types.js";
import { normalizeJob } from "../job/normalize-job.js";
import { type LockFile, lockDigest } from "../lock/lock-file.js";
import { loadProject } from "../project/load-project.js";
import type { Reporter } from "../report/reporter.js";

export interface JobRenderOptions {
  cwd: string;
  file: string | undefined;
  target: JobTarget;
  flavor?: KubernetesFlavor | undefined;
  /** Default: the spec's folder. */
  workspace?: string | undefined;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  /** Resolve the spec again and refuse a lock that no longer matches it. */
  verifyLock?: boolean;
}

export interface JobRenderContext {
  input: RenderJobInput;
  specFile: string;
  lockPath: string;
}

/** `HOST[:PORT]` of a reference when its first part names a registry (has a dot or port, or is localhost). */
export function registryOf(ref: string): string | null {
  const first = ref.split("/")[0] ?? "";
  if (!ref.includes("/")) return null;
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : null;
}

/** The lock's pushed image by digest (`HOST/NAME@sha256:…`), else the local lock tag. */
export function jobImageFromLock(lock: LockFile, localTag: string): JobImage {
  const pushed = lock.images?.find((image) => registryOf(image.ref) !== null) ?? lock.images?.[0];
  if (!pushed) return { ref: localTag, registry: null, localTag };
  const repository = pushed.ref.replace(/@.*$/, "").replace(/:[^/:]+$/, "");
  return { ref: `${repository}@${pushed.digest}`, registry: registryOf(pushed.ref), localTag };
}

export async function loadJobRenderInput(options: JobRenderOptions): Promise<JobRenderContext> {
  options.reporter.step("reading the spec, its lock and the job block");
  const project = await loadProject({
    cwd: options.cwd,
    file: options.file,
    lock: "required",
    fresh: options.verifyLock ? { env: options.env } : undefined,
  });
  const { specFile, spec, lock, lockPath } = project;
  if (!spec.job)
    throw new TorchstackError("E_NO_JOB", `${specFile} has no \`job\` block, so there is no job to render`, {
      remedies: ["add one to the spec: job: {command: [python3, train.py], nodes: 2, procsPerNode: 2}"],
    });
  const job = normalizeJob(spec.job, {
    specName: spec.name,
    file: specFile,
    runShm: spec.run?.shm,
    lineOf: (path) => project.lineOf(path),
  });
  return {
    specFile,
    lockPath,
    input: {
      job,
      target: options.target,
      flavor: options.flavor,
      image: jobImageFromLock(lock, lockTag(lock.name, lockDigest(lock))),
      user: lock.user,
      runtime: {
        torch: lock.stack.torch,
        python: lock.stack.python,
        torchSource: lock.torchSource,
        cuda: lock.stack.cuda,
      },
      workspace: resolve(options.cwd, options.workspace ?? dirname(specFile)),
    },
  };
}
