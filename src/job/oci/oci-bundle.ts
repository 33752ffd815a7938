/**
 * The OCI bundle Slurm's own container support runs (`srun --container=DIR`,
 * with the runtime the cluster's oci.conf names, e.g. runc): DIR/rootfs is the
 * image's file system, DIR/config.json says how to run it. Pure: where the
 * bundle lives and what its config says. The config keeps the node's network
 * and hostname (no network or UTS namespace, as `docker run --network host
 * --uts host` does), so torchrun's rendezvous and the node list work as on the
 * host; runs as the image's non-root user; mounts the workspace at /workspace,
 * the node's /etc/hosts and /etc/resolv.conf, and a sized /dev/shm; and sets
 * no rlimits (the runtime keeps the node's). Slurm replaces `process.args`
 * with the step's command and adds the step's environment to `process.env`.
 */
import { join } from "node:path";
import { CONTAINER_WORKSPACE, type JobSpec } from "../job-types.js";

/** The file beside rootfs/ naming the image it was exported from (reused while it matches). */
export const BUNDLE_IMAGE_FILE = "image-id";

/** A file-name-safe form of an image reference. */
function slug(ref: string): string {
  return ref.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(-120);
}

/** `slurm.bundle` when set, else WORKSPACE/.torchstack/oci/IMAGE (the workspace is on a file system every node reads). */
export function ociBundleDir(job: JobSpec, workspace: string, imageRef: string): string {
  return job.slurm.bundle ?? join(workspace, ".torchstack", "oci", slug(imageRef));
}

export interface OciBundleInput {
  user: { name: string; uid: number; gid: number };
  /** The image's `Config.Env` (PATH, VIRTUAL_ENV, …): the step's environment is added to it. */
  imageEnv: readonly string[];
  workspace: string;
  shmBytes: number;
}

const CAPABILITIES = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

function withHome(env: readonly string[], home: string): string[] {
  return env.some((entry) => entry.startsWith("HOME=")) ? [...env] : [...env, `HOME=${home}`];
}

/** config.json of the bundle (OCI runtime spec 1.0.2). */
export function ociBundleConfig(input: OciBundleInput): Record<string, unknown> {
  const bind = (source: string, destination: string, mode: "ro" | "rw") => ({
    destination,
    type: "bind",
    source,
    options: ["rbind", mode, "nosuid", "nodev"],
  });
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: input.user.uid, gid: input.user.gid },
      args: ["true"],
      env: withHome(input.imageEnv, `/home/${input.user.name}`),
      cwd: CONTAINER_WORKSPACE,
      capabilities: Object.fromEntries(
        ["bounding", "effective", "permitted"].map((set) => [set, CAPABILITIES]),
      ),
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: false },
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      {
        destination: "/dev",
        type: "tmpfs",
        source: "tmpfs",
        options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
      },
      {
        destination: "/dev/pts",
        type: "devpts",
        source: "devpts",
        options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"],
      },
      {
        destination: "/dev/shm",
        type: "tmpfs",
        source: "shm",
        options: ["nosuid", "noexec", "nodev", "mode=1777", `size=${input.shmBytes}`],
      },
      {
        destination: "/dev/mqueue",
        type: "mqueue",
        source: "mqueue",
        options: ["nosuid", "noexec", "nodev"],
      },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
      { destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777"] },
      bind(input.workspace, CONTAINER_WORKSPACE, "rw"),
      bind("/etc/hosts", "/etc/hosts", "ro"),
      bind("/etc/resolv.conf", "/etc/resolv.conf", "ro"),
    ],
    linux: {
      // No network or UTS namespace: the ranks use the node's addresses and hostname.
      namespaces: [{ type: "pid" }, { type: "ipc" }, { type: "mount" }],
      maskedPaths: [
        "/proc/acpi",
        "/proc/asound",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/sys/firmware",
        "/proc/scsi",
      ],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}
