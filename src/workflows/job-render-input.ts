/**
 * From a spec file to a RenderJobInput: the `job` block normalised (errors
 * with the spec's file and line), the image the lock names — its pushed
 * reference by digest when `build --push` recorded one, else the local tag
 * `build` made — the lock's non-root user and torch, and the workspace.
 * `verifyLock` also resolves the spec again and refuses a stale lock (what
 * `job check` does); a render reads the lock as written, which keeps it fast.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { EngineError, TorchstackError } from "../errors/torchstack-error.js";
import { lockTag } from "../image-build/image-tags.js";
import type { JobImage, JobTarget, KubernetesFlavor, RenderJobInput } from "../job/job-types.js";
import { normalizeJob } from "../job/normalize-job.js";
import { type LockFile, lockDigest, lockPathFor, readLock } from "../lock/lock-file.js";
import type { Reporter } from "../report/reporter.js";
import { findSpecFile, loadSpec } from "../spec/load-spec.js";
import { readChain } from "../spec/spec-chain.js";

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
  const specFile = resolve(options.cwd, findSpecFile(options.cwd, options.file));
  const lockPath = lockPathFor(specFile);
  if (!existsSync(lockPath))
    throw new EngineError(
      "E_NO_IMAGE",
      `${lockPath} does not exist, so there is no image for this spec yet`,
      {
        remedies: [`torchstack build -f ${specFile} (writes the lock and builds the image)`],
      },
    );
  if (options.verifyLock) {
    const { loadEnvironmentImage } = await import("./environment-image.js");
    await loadEnvironmentImage(options.cwd, options.file, {
      createLock: false,
      reporter: options.reporter,
      env: options.env,
    });
  }
  const { spec } = await loadSpec(specFile);
  const lock = readLock(lockPath);
  if (!spec.job)
    throw new TorchstackError("E_NO_JOB", `${specFile} has no \`job\` block, so there is no job to render`, {
      remedies: ["add one to the spec: job: {command: [python3, train.py], nodes: 2, procsPerNode: 2}"],
    });
  let chain: ReturnType<typeof readChain> | undefined; // read again only to name a line in an error
  const job = normalizeJob(spec.job, {
    specName: spec.name,
    file: specFile,
    runShm: spec.run?.shm,
    lineOf: (path) => {
      chain ??= readChain(specFile);
      return (chain.find((source) => source.has(path)) ?? chain[0])?.lineOf(path);
    },
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
