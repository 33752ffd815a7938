/**
 * The local target: one `docker run` of the environment's image in the
 * foreground, with the workspace at /workspace, the job's shm, GPUs and the
 * non-root user the way `up` starts environments, running `torchrun
 * --standalone` with the job's procs (local is one node by definition). The
 * job's env goes by name only (`--env NAME`): its values travel in the
 * launcher's environment, never in an argv another user can read with `ps`.
 * The script exports them first; the copy `job run` keeps has them redacted.
 */
import { DOCKER_ON_PATH } from "../../engine/docker-cli.js";
import { TorchstackError } from "../../errors/torchstack-error.js";
import { CONTAINER_WORKSPACE, type RenderedJob, type RenderJobInput } from "../job-types.js";
import { jobEnv } from "./common-env.js";
import { shellJoin, shellQuote } from "./shell-quote.js";
import { torchrunLine } from "./torchrun-args.js";

function gpuArgs(input: RenderJobInput): string[] {
  const gpus = input.job.gpusPerNode;
  if (gpus.count === 0) return [];
  // MIG slices cannot be counted by --gpus: all visible devices, the ranks pick theirs by LOCAL_RANK.
  return ["--gpus", gpus.mig ? "all" : String(gpus.count)];
}

/** The script form of a local launch: the env exported (or redacted: each name must then be set), then `exec`. */
export function localScript(
  argv: readonly string[],
  env: Record<string, string>,
  redacted: ReadonlySet<string> = new Set(),
): string {
  const exports = Object.entries(env).map(([key, value]) =>
    redacted.has(key)
      ? `export ${key}="\${${key}:?job.env value redacted from this copy: export ${key} first}"`
      : `export ${key}=${shellQuote(value)}`,
  );
  return ["#!/bin/sh", ...exports, `exec ${shellJoin([...argv])}`, ""].join("\n");
}

export function renderLocal(input: RenderJobInput): RenderedJob {
  const { job } = input;
  if (job.nodes.max > 1)
    throw new TorchstackError(
      "E_JOB_INVALID",
      `the local target runs one node, but job.nodes asks for ${job.nodes.min === job.nodes.max ? job.nodes.max : `${job.nodes.min}:${job.nodes.max}`}`,
      {
        remedies: ["job render --target slurm (or kubernetes) for several nodes", "nodes: 1 to run it here"],
      },
    );
  const line = torchrunLine(
    job,
    input.runtime,
    { masterAddr: "127.0.0.1", rdzvId: job.name },
    {
      logDir: input.logDir,
    },
  );
  // uid 0: the workspace owner is root, and the entrypoint keeps root only when told to
  const env = input.user.uid === 0 ? { ...jobEnv(job), TORCHSTACK_RUN_AS_ROOT: "1" } : jobEnv(job);
  const argv = [
    DOCKER_ON_PATH,
    "run",
    "--rm",
    "--name",
    `torchstack-job-${job.name}`,
    "--label",
    "dev.torchstack.managed=true",
    "--label",
    `dev.torchstack.job=${job.name}`,
    "--network",
    input.network ?? "host",
    "--user",
    `${input.user.uid}:${input.user.gid}`,
    "--workdir",
    CONTAINER_WORKSPACE,
    "--volume",
    `${input.workspace}:${CONTAINER_WORKSPACE}`,
    "--shm-size",
    String(job.shmBytes),
    ...gpuArgs(input),
    ...Object.keys(env).flatMap((key) => ["--env", key]),
    input.image.ref,
    ...line.argv,
  ];
  return {
    target: "local",
    name: job.name,
    image: input.image.ref,
    files: [{ path: `${job.name}.local.sh`, content: localScript(argv, env) }],
    launch: argv,
    launchEnv: env,
    torchrun: line.argv,
    notes: [
      `runs as ${input.user.uid}:${input.user.gid} with /dev/shm ${job.shm}, the workspace at ${CONTAINER_WORKSPACE}`,
      ...line.notes,
    ],
  };
}
