/**
 * The environment variables torchstack sets in an environment to control it
 * (where apps listen, their ports and secrets, the user remap) or that the
 * dynamic loader reads before the container's first process drops root. A
 * spec's `run.env` or `up --env` may not set them: torchstack's values are the
 * ones that hold, and none of them may be chosen by a torchstack.yaml cloned
 * from someone else.
 */

/** Names torchstack sets itself. */
const RESERVED_NAMES = new Set([
  "JUPYTER_TOKEN",
  "JUPYTER_IP",
  "JUPYTER_PORT",
  "SSH_PORT",
  "SSH_AUTHORIZED_KEYS",
  "TENSORBOARD_PORT",
  "VSCODE_PORT",
  "VSCODE_PASSWORD",
  "PASSWORD",
  "CUDA_DEVICE_ORDER",
  "TINI_KILL_PROCESS_GROUP",
]);

/**
 * Settings only the person starting the environment may choose, on the command line (`up --env`), never a
 * spec: TORCHSTACK_RUN_AS_ROOT=1 runs the user's processes as root, whose files in the workspace are root's.
 */
const COMMAND_LINE_ONLY = new Set(["TORCHSTACK_RUN_AS_ROOT"]);

/**
 * Why NAME may not be set by a spec's run.env (`from: "spec"`) or by `up --env` (`from: "command line"`),
 * or null when it may.
 */
export function reservedEnvReason(name: string, from: "spec" | "command line" = "spec"): string | null {
  if (COMMAND_LINE_ONLY.has(name))
    return from === "spec"
      ? `${name} may only be given on the command line (torchstack up --env ${name}=1), never by a spec, which may come from someone else`
      : null;
  if (name.startsWith("TORCHSTACK_") || RESERVED_NAMES.has(name))
    return `${name} is set by torchstack itself (where the apps listen, their ports and secrets, the user remap) and cannot be overridden`;
  if (name.startsWith("LD_"))
    return `${name} would be read by the dynamic loader of the container's first processes, which run as root; set it for your command instead (env ${name}=… python3 …)`;
  return null;
}
