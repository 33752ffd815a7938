/**
 * `.devcontainer/devcontainer.json` for the built image, from the export plan:
 * the image's own entrypoint and command (overrideCommand false, so the user
 * remap, the apps and tini run as under `up`), started as root only when up
 * would, the workspace bind-mounted at /workspace, the non-root remote user,
 * run arguments for network, shm/ipc, ulimits, limits and GPUs (with
 * `hostRequirements.gpu: "optional"` so a GPU-less host still opens it), the
 * secrets from an env file beside it, forwarded app ports and a start that
 * waits for the image's healthcheck.
 */
import type { AppKey } from "../environments/up/image-labels.js";
import type { ExportPlan } from "./export-plan.js";

export const DEVCONTAINER_ENV_FILE = "torchstack.env";

function gpuArgs(plan: ExportPlan): string[] {
  const gpus = plan.container.gpus;
  if (gpus.kind === "none") return [];
  if (gpus.kind === "cdi") return gpus.devices.map((d) => `--device=${d}`);
  if (gpus.deviceIds) return [`--gpus=device=${gpus.deviceIds.join(",")}`];
  return [`--gpus=${gpus.count === undefined || gpus.count < 0 ? "all" : gpus.count}`];
}

export function devcontainerRunArgs(plan: ExportPlan): string[] {
  const c = plan.container;
  const args: string[] = [];
  if (c.user) args.push(`--user=${c.user}`);
  if (c.networkMode) args.push(`--network=${c.networkMode}`);
  if (c.ipcMode) args.push(`--ipc=${c.ipcMode}`);
  if (c.shmSizeBytes !== undefined) args.push(`--shm-size=${c.shmSizeBytes}`);
  for (const u of c.ulimits) args.push(`--ulimit=${u.name}=${u.soft}:${u.hard}`);
  if (c.memoryBytes !== undefined) args.push(`--memory=${c.memoryBytes}`);
  if (c.nanoCpus !== undefined) args.push(`--cpus=${c.nanoCpus / 1e9}`);
  for (const p of c.ports) args.push(`--publish=${p.hostIp}:${p.hostPort}:${p.containerPort}`);
  args.push(...gpuArgs(plan));
  args.push(`--env-file=\${localWorkspaceFolder}/.devcontainer/${DEVCONTAINER_ENV_FILE}`);
  return args;
}

const HEALTH_WAIT =
  "for i in $(seq 1 60); do /usr/local/bin/torchstack-healthcheck >/dev/null 2>&1 && exit 0; sleep 1; done; /usr/local/bin/torchstack-healthcheck";

export function renderDevcontainer(plan: ExportPlan, remoteUser: string): Record<string, unknown> {
  const c = plan.container;
  const forwardPorts = Object.values(plan.ports);
  const portsAttributes: Record<string, { label: string; onAutoForward: string }> = {};
  for (const [app, port] of Object.entries(plan.ports) as [AppKey, number][])
    portsAttributes[String(port)] = { label: app, onAutoForward: "silent" };
  const labels = Object.entries(c.labels)
    .filter(([k]) => k !== "dev.torchstack.managed")
    .map(([k, v]) => `--label=${k}=${v}`);
  return {
    name: c.labels["dev.torchstack.env"] ?? c.name,
    image: c.image,
    // The image's ENTRYPOINT (tini + torchstack-entrypoint) and CMD run as under `torchstack up`.
    overrideCommand: false,
    // The entrypoint remaps the user to the workspace owner (TORCHSTACK_UID/GID); no derived image is built.
    updateRemoteUserUID: false,
    remoteUser,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a devcontainer.json variable, substituted by the Dev Containers CLI
    workspaceMount: "source=${localWorkspaceFolder},target=/workspace,type=bind",
    workspaceFolder: "/workspace",
    containerEnv: c.env,
    runArgs: [...devcontainerRunArgs(plan), ...labels],
    ...(c.gpus.kind === "none" ? {} : { hostRequirements: { gpu: "optional" } }),
    ...(forwardPorts.length > 0 ? { forwardPorts, portsAttributes } : {}),
    ...(forwardPorts.length > 0
      ? { postStartCommand: ["sh", "-c", HEALTH_WAIT], waitFor: "postStartCommand" }
      : {}),
  };
}
