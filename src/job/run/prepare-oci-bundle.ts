/**
 * Makes the OCI bundle a `container: oci` Slurm job runs: the image's file
 * system exported by the local engine (`docker create` + `docker export`, no
 * container started) into DIR/rootfs, once per image (DIR/image-id says which
 * image it holds; a bundle of another image is replaced), and DIR/config.json
 * written for this job's user, workspace and shm. The new rootfs is unpacked
 * beside the old one and renamed into place, so a failed export leaves the
 * previous bundle whole and no partial folder behind.
 *
 * The bundle lands on a file system other users read, so the image's content
 * must not become host privilege: the folder is private to whoever runs the job
 * (0700, refused when it is a link or another user's), tar unpacks without
 * restoring ownership and without the image's /dev, and before the rootfs is
 * renamed into place every set-user/group-ID bit is cleared and every device
 * node, FIFO and socket is removed (then checked: none may remain).
 */
import {
  chmodSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { dirname, join } from "node:path";
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
  /** The docker-compatible CLI jobs use (the engine decides: dockerCli("jobs")). */
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

/**
 * The engine's export stream unpacked by tar, one pipe, its failure from either side. No owner is restored
 * (files belong to whoever unpacks) and the image's /dev stays out (the runtime mounts its own). Run by a
 * user other than root, tar cannot make a device node found elsewhere in the image: that is not a failure,
 * since such nodes are removed anyway.
 */
const UNPACK =
  'set -euo pipefail; "$0" export "$1" | tar -x --no-same-owner --same-permissions --anchored --exclude="dev/?*" -C "$2"';

/** Clears set-ID bits and removes device nodes, FIFOs and sockets; prints what is left (nothing, or a failure). */
const SANITIZE = [
  "set -euo pipefail",
  'find "$0" -xdev \\( -type b -o -type c -o -type p -o -type s \\) -delete',
  'find "$0" -xdev ! -type l -perm /6000 -exec chmod ug-s {} +',
  'find "$0" -xdev \\( -type b -o -type c -o -type p -o -type s -o \\( ! -type l -perm /6000 \\) \\) -print',
].join("\n");

const HARMLESS_TAR =
  /(Cannot mknod: Operation not permitted|Exiting with failure status due to previous errors)$/;

/** Only "cannot make a device node" complaints (an unprivileged unpack): the rest of the image is there. */
function onlyMknodRefusals(stderr: string): boolean {
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  return lines.length > 0 && lines.every((line) => HARMLESS_TAR.test(line));
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
    const unpacked = await ctx.run("bash", ["-c", UNPACK, ctx.engineCli, id, into], {
      env: ctx.env,
      reject: false,
      timeoutMs: 30 * 60_000,
    });
    if (unpacked.exitCode !== 0 && !onlyMknodRefusals(unpacked.stderr))
      throw bundleFailed(into, unpacked.stderr);
  } finally {
    await ctx.run(ctx.engineCli, ["rm", "--force", id], { env: ctx.env, reject: false, timeoutMs: 60_000 });
  }
  await sanitizeRootfs(ctx, into);
}

/** Nothing in the rootfs may carry privilege onto the host: no set-ID file, no device node. */
async function sanitizeRootfs(ctx: OciBundleContext, rootfs: string): Promise<void> {
  const result = await ctx.run("bash", ["-c", SANITIZE, rootfs], {
    env: ctx.env,
    reject: false,
    timeoutMs: 10 * 60_000,
  });
  const left = result.stdout.trim();
  if (result.exitCode !== 0 || left !== "")
    throw bundleFailed(
      rootfs,
      left ? `set-ID or special files remain: ${left.split("\n").slice(0, 3).join(", ")}` : result.stderr,
    );
}

/**
 * Unpacked by root, every file belongs to root, the image user's home included: that home goes back to
 * the image user the job runs as (links are not followed). Unpacked by anyone else, the files are theirs.
 */
function giveHomeToImageUser(rootfs: string, user: { name: string; uid: number; gid: number }): void {
  if (process.geteuid?.() !== 0) return;
  const chownTree = (path: string): void => {
    const stat = lstatSync(path);
    lchownSync(path, user.uid, user.gid);
    if (stat.isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name));
  };
  const home = join(rootfs, "home", user.name);
  if (existsSync(home) && lstatSync(home).isDirectory()) chownTree(home);
}

/**
 * The bundle folder, private to whoever runs the job: created 0700, or an existing one of ours made 0700.
 * A link, or a folder another user owns, could hand the export to them: refused.
 */
function privateBundleDir(dir: string): void {
  // Only the bundle folder itself is private: its parents (WORKSPACE/.torchstack holds the rank logs) are not.
  mkdirSync(dirname(dir), { recursive: true });
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.geteuid?.() ?? stat.uid;
  if (!stat.isDirectory() || stat.uid !== uid) {
    throw new TorchstackError(
      "E_JOB_BUNDLE_FAILED",
      `the OCI bundle folder ${dir} is ${stat.isDirectory() ? `owned by UID ${stat.uid}, not by you (${uid})` : "not a folder (a link or a file)"}, so the image's files could reach another user`,
      {
        remedies: [
          `set job.slurm.bundle to a folder of your own on a shared file system (mounted nosuid,nodev), or remove ${dir}`,
        ],
      },
    );
  }
  chmodSync(dir, 0o700);
}

function bundleFailed(dir: string, stderr: string): TorchstackError {
  // The first complaint is the cause (the engine's); tar's own summary and refused device nodes are not.
  const lines = stderr.trim().split("\n");
  const why = lines.find((line) => line.trim() !== "" && !HARMLESS_TAR.test(line)) ?? lines.at(-1) ?? "";
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
  // A bundle from before the folder was made private may hold set-ID files: it is exported again.
  const wasPrivate = existsSync(dir) && (lstatSync(dir).mode & 0o077) === 0;
  privateBundleDir(dir);
  if (current === image.id && existsSync(rootfs) && wasPrivate) {
    ctx.progress(`OCI bundle ${dir} holds ${input.localTag} already`);
  } else {
    ctx.progress(`exporting ${input.localTag} into the OCI bundle ${dir} (once per image)`);
    const partial = join(dir, `rootfs.partial-${process.pid}`);
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { mode: 0o700 });
    try {
      await exportRootfs(ctx, input.localTag, partial);
      chmodSync(partial, 0o755); // the container's `/`: the job's user must traverse it
      giveHomeToImageUser(partial, input.user);
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
