/**
 * Makes the OCI bundle a `container: oci` Slurm job runs: the image's file
 * system exported by the local engine (`docker create` + `docker export`, no
 * container started) into DIR/rootfs, once per image (DIR/image-id says which
 * image it holds; a bundle of another image is replaced), and DIR/config.json
 * written for this job's user, workspace and shm. The new rootfs is unpacked
 * beside the old one and renamed into place, so a failed export leaves the
 * previous bundle whole and no partial folder behind.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TorchstackError } from "../../errors/torchstack-error.js";
import { writeFileAtomic } from "../../fs/atomic-write.js";
import type { ProcessRunner } from "../../process/run-process.js";
import type { JobSpec } from "../job-types.js";
import { BUNDLE_IMAGE_FILE, ociBundleConfig, ociBundleDir } from "../oci/oci-bundle.js";

export interface PrepareOciBundleInput {
  job: JobSpec;
  workspace: string;
  /** The reference the render names the bundle by (the lock's pushed reference or local tag). */
  imageRef: string;
  /** The tag the local engine holds. */
  localTag: string;
  user: { name: string; uid: number; gid: number };
}

export interface OciBundleContext {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  progress: (line: string) => void;
  /** The docker-compatible CLI (TORCHSTACK_DOCKER_CLI or docker). */
  engineCli: string;
}

interface ImageFacts {
  id: string;
  env: string[];
}

async function inspectImage(ctx: OciBundleContext, tag: string): Promise<ImageFacts> {
  const result = await ctx.run(
    ctx.engineCli,
    ["image", "inspect", "--format", "{{.Id}} {{json .Config.Env}}", tag],
    { env: ctx.env, reject: false, timeoutMs: 60_000 },
  );
  const [id, env] = result.stdout.trim().split(/ (.*)/s);
  if (result.exitCode !== 0 || !id) {
    throw new TorchstackError(
      "E_IMAGE_NOT_FOUND",
      `the engine has no image ${tag} to export into the job's OCI bundle`,
      { remedies: ["torchstack build (makes the image the lock names)"] },
    );
  }
  const parsed: unknown = JSON.parse(env && env !== "null" ? env : "[]");
  return { id, env: Array.isArray(parsed) ? parsed.map(String) : [] };
}

async function exportRootfs(ctx: OciBundleContext, tag: string, into: string): Promise<void> {
  const created = await ctx.run(ctx.engineCli, ["create", "--network", "none", tag, "true"], {
    env: ctx.env,
    reject: false,
    timeoutMs: 60_000,
  });
  const id = created.stdout.trim();
  if (created.exitCode !== 0 || !id) throw bundleFailed(into, created.stderr);
  try {
    // One pipe, its failure from either side: the engine's export stream unpacked by tar.
    const unpacked = await ctx.run(
      "bash",
      ["-c", 'set -euo pipefail; "$0" export "$1" | tar -x -C "$2"', ctx.engineCli, id, into],
      { env: ctx.env, reject: false, timeoutMs: 30 * 60_000 },
    );
    if (unpacked.exitCode !== 0) throw bundleFailed(into, unpacked.stderr);
  } finally {
    await ctx.run(ctx.engineCli, ["rm", "--force", id], { env: ctx.env, reject: false, timeoutMs: 60_000 });
  }
}

function bundleFailed(dir: string, stderr: string): TorchstackError {
  const why = stderr.trim().split("\n").at(-1) ?? "";
  return new TorchstackError(
    "E_JOB_BUNDLE_FAILED",
    `the image could not be exported into the OCI bundle ${dir}${why ? `: ${why}` : ""}`,
    {
      remedies: [
        `df -h ${dir} (the bundle holds the image's whole file system)`,
        "set job.slurm.bundle to a folder on a shared file system with room, and run again",
      ],
    },
  );
}

/** Exports the image when the bundle holds another one (or none), then writes config.json. Returns the bundle folder. */
export async function prepareOciBundle(input: PrepareOciBundleInput, ctx: OciBundleContext): Promise<string> {
  const dir = ociBundleDir(input.job, input.workspace, input.imageRef);
  const image = await inspectImage(ctx, input.localTag);
  const recorded = join(dir, BUNDLE_IMAGE_FILE);
  const rootfs = join(dir, "rootfs");
  const current = existsSync(recorded) ? readFileSync(recorded, "utf8").trim() : "";
  if (current === image.id && existsSync(rootfs)) {
    ctx.progress(`OCI bundle ${dir} holds ${input.localTag} already`);
  } else {
    ctx.progress(`exporting ${input.localTag} into the OCI bundle ${dir} (once per image)`);
    mkdirSync(dir, { recursive: true });
    const partial = join(dir, `rootfs.partial-${process.pid}`);
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial);
    try {
      await exportRootfs(ctx, input.localTag, partial);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      throw error;
    }
    const old = join(dir, `rootfs.old-${process.pid}`);
    if (existsSync(rootfs)) renameSync(rootfs, old);
    renameSync(partial, rootfs);
    rmSync(old, { recursive: true, force: true });
    writeFileAtomic(recorded, `${image.id}\n`);
  }
  const config = ociBundleConfig({
    user: input.user,
    imageEnv: image.env,
    workspace: input.workspace,
    shmBytes: input.job.shmBytes,
  });
  writeFileAtomic(join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}
