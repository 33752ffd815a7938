/**
 * How each Slurm container form wraps the per-node torchrun: pyxis
 * (`srun --container-image`), enroot (`enroot start`), Apptainer (`exec --nv`),
 * podman and docker (`run --network host` under srun, removed when the step
 * ends), Slurm's own OCI support (`srun --container=BUNDLE`, run by the
 * runtime the cluster's oci.conf names), or none (host Python). Every form
 * mounts the workspace at /workspace,
 * passes the job environment and the node rank, and runs as a non-root user.
 */
import { CONTAINER_WORKSPACE, type RenderJobInput } from "../job-types.js";
import { ociBundleDir } from "../oci/oci-bundle.js";
import { shellQuote } from "./shell-quote.js";

export interface ContainerWrap {
  /** Extra srun options (pyxis, oci). */
  srunOptions: string[];
  /** Script lines before the job step (image import, pulls). */
  setup: string[];
  /** The body of `bash -c` each node's task runs; it sets PET_NODE_RANK and runs "$@". */
  launcher: string;
  /** The arguments before torchrun (the container command); expanded once by the batch shell. */
  args: string[];
  /** The torchrun program inside the form. */
  torchrun: string[];
  notes: string[];
}

const NODE_RANK = "export PET_NODE_RANK=$SLURM_NODEID";

/** The node list the batch script expands (srun --container passes no per-task SLURM_NODEID into the bundle). */
export const NODE_LIST_VAR = "TORCHSTACK_NODES";

/**
 * Inside an OCI bundle the node rank is this node's place in the job's node list: Slurm passes the
 * batch step's SLURM_NODEID (0 on every node) into the container, not each task's own.
 */
const OCI_NODE_RANK = [
  "h=$(cat /proc/sys/kernel/hostname); i=0; found=",
  `for n in $${NODE_LIST_VAR}; do if [ "$n" = "$h" ]; then found=1; break; fi; i=$((i + 1)); done`,
  `if [ -z "$found" ]; then echo "torchstack: node $h is not in the job's node list ($${NODE_LIST_VAR})" >&2; exit 1; fi`,
  'export PET_NODE_RANK="$i"',
  'exec "$@"',
].join("; ");

/**
 * Host Python's torch is not the lock's: Debian torch 1.x on Python 3.11+ needs torchrun's redirects/tee (PET_*).
 * The version comes from the installed distribution's metadata (0.1 s), not from importing torch (2 s and more).
 */
const HOST_TORCH_VERSION =
  'd = [x for x in m.distributions() if (x.metadata["Name"] or "").lower() == "torch"]; v = d[0].version if d else __import__("torch").__version__';
export const HOST_TORCH_PROBE = `if python3 -c 'import sys, importlib.metadata as m; ${HOST_TORCH_VERSION}; sys.exit(0 if v.startswith("1.") and sys.version_info >= (3, 11) else 1)' 2>/dev/null; then export PET_REDIRECTS=2 PET_TEE=1; fi`;

/** enroot/pyxis spell a registry image `docker://REGISTRY#NAME[:TAG|@DIGEST]`. */
export function enrootUri(ref: string, registry: string | null): string {
  if (!registry || !ref.startsWith(`${registry}/`)) return `docker://${ref}`;
  return `docker://${registry}#${ref.slice(registry.length + 1)}`;
}

export function containerWrap(input: RenderJobInput, passEnv: readonly string[]): ContainerWrap {
  const { job, image, user } = input;
  const form = job.slurm.container;
  const mount = `${input.workspace}:${CONTAINER_WORKSPACE}`;
  const gpus = job.gpusPerNode.count > 0;
  const plain = `${NODE_RANK}; exec "$@"`;
  switch (form) {
    case "none":
      return {
        srunOptions: [`--chdir=${input.workspace}`],
        setup: [HOST_TORCH_PROBE],
        launcher: plain,
        args: [],
        torchrun: ["python3", "-m", "torch.distributed.run"],
        notes: [
          "host Python on every node (torch must be installed there); the image is not used",
          "the script sets PET_REDIRECTS=2 PET_TEE=1 when the host's torch is 1.x on Python 3.11+ (torchrun crashes without)",
        ],
      };
    case "pyxis":
      return {
        srunOptions: [
          `--container-image=${enrootUri(image.ref, image.registry).slice("docker://".length)}`,
          `--container-mounts=${mount}`,
          `--container-workdir=${CONTAINER_WORKSPACE}`,
          "--no-container-mount-home",
        ],
        setup: [],
        launcher: plain,
        args: [],
        torchrun: ["torchrun"],
        notes: ["pyxis runs the image as the submitting user (no --container-remap-root)"],
      };
    case "enroot": {
      const sqsh = `\${TMPDIR:-/tmp}/${job.name}-\${SLURM_JOB_ID}.sqsh`;
      return {
        srunOptions: [],
        setup: [
          `srun --ntasks-per-node=1 enroot import --output "${sqsh}" "${enrootUri(image.ref, image.registry)}"`,
          `srun --ntasks-per-node=1 enroot create --name "${job.name}-\${SLURM_JOB_ID}" "${sqsh}"`,
        ],
        launcher: plain,
        args: [
          "enroot",
          "start",
          "--mount",
          mount,
          ...["PET_NODE_RANK", ...passEnv].flatMap((name) => ["--env", name]),
          `${job.name}-\${SLURM_JOB_ID}`,
        ],
        torchrun: ["torchrun"],
        notes: ["enroot starts the container as the submitting user (no --root)"],
      };
    }
    case "oci": {
      const bundle = ociBundleDir(job, input.workspace, image.ref);
      return {
        srunOptions: [
          `--container=${bundle}`,
          // Only the job's variables join the image's environment (PATH, VIRTUAL_ENV… stay the image's).
          `--export=${[NODE_LIST_VAR, ...(gpus ? ["CUDA_VISIBLE_DEVICES"] : []), ...passEnv].join(",")}`,
        ],
        setup: [
          `if [ ! -f ${shellQuote(`${bundle}/config.json`)} ]; then echo ${shellQuote(`torchstack: no OCI bundle at ${bundle}: torchstack job run --target slurm prepares it from the image`)} >&2; exit 1; fi`,
          `${NODE_LIST_VAR}="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | tr '\\n' ' ')"`,
          `export ${NODE_LIST_VAR}`,
        ],
        launcher: OCI_NODE_RANK,
        args: [],
        torchrun: ["torchrun"],
        notes: [
          `Slurm's srun --container runs the OCI bundle ${bundle} (the image's file system) as ${user.uid}:${user.gid} with the node's network and hostname; the cluster's oci.conf names the runtime${gpus ? " (GPUs need a GPU-aware runtime there, e.g. nvidia-container-runtime)" : ""}`,
        ],
      };
    }
    case "apptainer":
      return {
        srunOptions: [],
        setup: [`[ -f ${job.name}.sif ] || apptainer pull ${job.name}.sif docker://${image.ref}`],
        launcher: plain,
        args: [
          "apptainer",
          "exec",
          ...(gpus ? ["--nv"] : []),
          "--contain",
          "--bind",
          mount,
          "--pwd",
          CONTAINER_WORKSPACE,
          `${job.name}.sif`,
        ],
        torchrun: ["torchrun"],
        notes: [
          `Apptainer runs as the submitting user${gpus ? ", --nv binds the NVIDIA driver" : ""}; --contain keeps host files out`,
        ],
      };
    case "docker":
    case "podman": {
      const gpuArgs = !gpus ? [] : form === "docker" ? ["--gpus", "all"] : ["--device", "nvidia.com/gpu=all"];
      const name = `${job.name}-$SLURM_JOB_ID-$SLURM_NODEID`;
      return {
        srunOptions: [],
        setup: [],
        launcher: `${NODE_RANK}; name=${name}; trap "${form} rm -f $name >/dev/null 2>&1" EXIT; ${form} run --name "$name" "$@"`,
        args: [
          "--rm",
          "--label",
          `dev.torchstack.job=${job.name}`,
          "--network",
          "host",
          "--uts",
          "host",
          "--user",
          `${user.uid}:${user.gid}`,
          "--shm-size",
          String(job.shmBytes),
          "--volume",
          mount,
          "--workdir",
          CONTAINER_WORKSPACE,
          ...gpuArgs,
          ...["PET_NODE_RANK", ...(gpus ? ["CUDA_VISIBLE_DEVICES"] : []), ...passEnv].flatMap((name) => [
            "--env",
            name,
          ]),
          image.ref,
        ],
        torchrun: ["torchrun"],
        notes: [
          `${form} runs the image as ${user.uid}:${user.gid} with the node's network and hostname; the container is removed when the step ends`,
        ],
      };
    }
  }
}
