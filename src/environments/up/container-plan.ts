/**
 * The pure heart of `up`: from the image's facts, the chosen host ports and the
 * user's flags, the container to create (labels, workspace bind, user remap,
 * ports on 127.0.0.1 unless exposed, shm or host IPC, ulimits, limits, GPUs)
 * and the access it gives (URLs with the token, the SSH command).
 */

import type { ContainerSpec, GpuRequest } from "../../engine/engine-client.js";
import { UsageError } from "../../errors/torchstack-error.js";
import { reservedEnvReason } from "../../spec/reserved-env.js";
import { APP_KEYS, type AppKey, type ImageFacts } from "./image-labels.js";

export interface PlanInput {
  name: string;
  image: string;
  facts: ImageFacts;
  workspace: string;
  specFile: string;
  owner: { uid: number; gid: number };
  hostNetwork: boolean;
  expose: boolean;
  /** Host port per app that is on (under host networking also the in-container port). */
  hostPorts: Partial<Record<AppKey, number>>;
  gpus: string;
  gpuRequest: GpuRequest;
  shmSize?: string;
  ipc?: string;
  memory?: string;
  cpus?: number;
  env: Record<string, string>;
  token: string;
  sshPublicKey: string | null;
  sshKeyPath: string | null;
}

export interface Access {
  urls: Record<string, string>;
  ssh: string | null;
}

const PORT_ENV: Record<AppKey, string> = {
  jupyter: "JUPYTER_PORT",
  ssh: "SSH_PORT",
  tensorboard: "TENSORBOARD_PORT",
  vscode: "VSCODE_PORT",
};

/** The caller's variables without torchstack's own (refused earlier in run.env and --env; dropped here too). */
function withoutReserved(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => reservedEnvReason(name, "command line") === null),
  );
}

export function parseSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--${flag} must be a size such as 8g or 512m, got "${text}"`);
  const power = { "": 0, k: 1, m: 2, g: 3, t: 4 }[(m[2] ?? "").toLowerCase()] ?? 0;
  return Math.round(Number(m[1]) * 1024 ** power);
}

function accessFor(input: Pick<PlanInput, "facts" | "hostPorts" | "token" | "sshKeyPath">): Access {
  const urls: Record<string, string> = {};
  const { jupyter, tensorboard, vscode, ssh } = input.hostPorts;
  if (jupyter !== undefined) {
    const path =
      input.facts.apps.jupyter?.ui === "lab"
        ? "lab"
        : input.facts.apps.jupyter?.ui === "notebook"
          ? "tree"
          : "";
    urls.jupyter = `http://127.0.0.1:${jupyter}/${path}?token=${input.token}`;
  }
  if (tensorboard !== undefined) urls.tensorboard = `http://127.0.0.1:${tensorboard}/`;
  if (vscode !== undefined) urls.vscode = `http://127.0.0.1:${vscode}/`;
  const sshCommand =
    ssh === undefined
      ? null
      : `ssh -p ${ssh}${input.sshKeyPath ? ` -i ${input.sshKeyPath}` : ""} ${input.facts.user.name}@127.0.0.1`;
  return { urls, ssh: sshCommand };
}

/** TensorBoard has no login: whoever reaches its port reads the runs (and with --expose, the whole network). */
export function tensorboardNotice(expose: boolean): string {
  return expose
    ? "TensorBoard has no login and --expose publishes it on every interface: anyone on the network can read your runs (leave --expose out, or turn tensorboard off)"
    : "TensorBoard has no login: every user of this machine can open it on 127.0.0.1 (Jupyter and sshd need the token or key)";
}

/**
 * The image runs as its non-root USER by default; `up` starts it as root only when the entrypoint must
 * remap the user to the workspace owner (other IDs, not root) or start sshd (a root daemon).
 */
export function startsAsRoot(input: Pick<PlanInput, "facts" | "owner" | "hostPorts">): boolean {
  const { owner, facts } = input;
  const remap =
    owner.uid !== 0 && owner.gid !== 0 && (owner.uid !== facts.user.uid || owner.gid !== facts.user.gid);
  return remap || input.hostPorts.ssh !== undefined;
}

export function planContainer(input: PlanInput): { spec: ContainerSpec; access: Access } {
  const env: Record<string, string> = {
    TORCHSTACK_UID: String(input.owner.uid),
    TORCHSTACK_GID: String(input.owner.gid),
    CUDA_DEVICE_ORDER: "PCI_BUS_ID",
    TINI_KILL_PROCESS_GROUP: "1",
    TORCHSTACK_APPS: APP_KEYS.filter((k) => input.hostPorts[k] !== undefined).join(",") || "none",
  };
  if (input.hostPorts.jupyter !== undefined) env.JUPYTER_TOKEN = input.token;
  if (input.sshPublicKey && input.hostPorts.ssh !== undefined) env.SSH_AUTHORIZED_KEYS = input.sshPublicKey;
  const ports: ContainerSpec["ports"] = [];
  for (const app of APP_KEYS) {
    const hostPort = input.hostPorts[app];
    const image = input.facts.apps[app];
    if (hostPort === undefined || !image) continue;
    if (input.hostNetwork) env[PORT_ENV[app]] = String(hostPort);
    else ports.push({ containerPort: image.port, hostIp: input.expose ? "0.0.0.0" : "127.0.0.1", hostPort });
  }
  if (input.hostNetwork) {
    env.TORCHSTACK_LISTEN = input.expose ? "0.0.0.0" : "127.0.0.1";
    env.JUPYTER_IP = env.TORCHSTACK_LISTEN;
  }
  const ipc = input.ipc;
  const spec: ContainerSpec = {
    name: `torchstack-${input.name}`,
    image: input.image,
    // torchstack's own values come last: a spec or flag never overrides where apps listen or their secrets.
    env: { ...withoutReserved(input.env), ...env },
    labels: {
      "dev.torchstack.managed": "true",
      "dev.torchstack.env": input.name,
      "dev.torchstack.spec": input.specFile,
      "dev.torchstack.workspace": input.workspace,
      "dev.torchstack.gpus": input.gpus,
      "dev.torchstack.ports": JSON.stringify(input.hostPorts),
    },
    ...(startsAsRoot(input) ? { user: "0:0" } : {}),
    binds: [`${input.workspace}:/workspace`],
    ports,
    ...(input.hostNetwork ? { networkMode: "host" } : {}),
    ...(ipc ? { ipcMode: ipc } : { shmSizeBytes: parseSize(input.shmSize ?? "8g", "shm-size") }),
    ...(input.memory ? { memoryBytes: parseSize(input.memory, "memory") } : {}),
    ...(input.cpus ? { nanoCpus: Math.round(input.cpus * 1e9) } : {}),
    ulimits: [
      { name: "memlock", soft: -1, hard: -1 },
      { name: "stack", soft: 67108864, hard: 67108864 },
    ],
    gpus: input.gpuRequest,
    // The entrypoint drops root by setpriv (no set-ID file needed); nothing later may gain it back.
    securityOpt: ["no-new-privileges"],
  };
  return { spec, access: accessFor(input) };
}
