/**
 * What both exports describe: the container `up` would create for this spec
 * and lock (planContainer itself, so shm, ulimits, GPUs, user remap, network,
 * ports and environment are exactly up's), the generated token kept out of the
 * file, and the apps' URLs. Pure: the caller passes the owner, network and token.
 */
import type { ContainerSpec, GpuRequest } from "../engine/engine-client.js";
import { type Access, planContainer } from "../environments/up/container-plan.js";
import { APP_KEYS, type AppKey, imageFacts } from "../environments/up/image-labels.js";
import type { LockFile } from "../lock/lock-schema.js";
import type { Spec } from "../spec/schema.js";

export interface ExportInput {
  spec: Spec;
  lock: LockFile;
  /** The image the lock names (`NAME:lock-…`). */
  image: string;
  specFile: string;
  workspace: string;
  owner: { uid: number; gid: number };
  network: string | undefined;
  token: string;
}

export interface ExportPlan {
  container: ContainerSpec;
  access: Access;
  /** Variables that hold secrets: written to the env file beside the export, never into it. */
  secretEnv: Record<string, string>;
  /** In-container (and, with host networking, host) port per app. */
  ports: Partial<Record<AppKey, number>>;
  hostNetwork: boolean;
}

const SECRET_KEYS = ["JUPYTER_TOKEN", "VSCODE_PASSWORD"];

/** Image facts from the lock: the same labels the Dockerfile writes, without asking the engine. */
function factsFromLock(lock: LockFile) {
  return imageFacts({
    "dev.torchstack.apps": JSON.stringify(lock.apps),
    "dev.torchstack.user": `${lock.user.name}:${lock.user.uid}:${lock.user.gid}`,
    "dev.torchstack.stack": JSON.stringify(lock.stack),
  });
}

function gpuRequest(spec: Spec, cuda: boolean): { request: GpuRequest; text: string } {
  const wanted = spec.run?.gpus ?? (cuda ? "all" : "none");
  if (wanted === "none" || wanted === 0) return { request: { kind: "none" }, text: "none" };
  if (wanted === "all") return { request: { kind: "nvidia", count: -1 }, text: "all" };
  if (typeof wanted === "number") return { request: { kind: "nvidia", count: wanted }, text: String(wanted) };
  const ids = Array.isArray(wanted) ? wanted.map(String) : String(wanted).split(",");
  return { request: { kind: "nvidia", deviceIds: ids }, text: ids.join(",") };
}

export function planExport(input: ExportInput): ExportPlan {
  const facts = factsFromLock(input.lock);
  const hostNetwork = input.network === "host";
  const ports: Partial<Record<AppKey, number>> = {};
  for (const app of APP_KEYS) {
    const inImage = facts.apps[app];
    if (inImage) ports[app] = input.spec.run?.ports?.[app] ?? inImage.port;
  }
  const gpus = gpuRequest(input.spec, facts.cuda);
  const { spec, access } = planContainer({
    name: input.spec.name,
    image: input.image,
    facts,
    workspace: input.workspace,
    specFile: input.specFile,
    owner: input.owner,
    hostNetwork,
    expose: false,
    hostPorts: ports,
    gpus: gpus.text,
    gpuRequest: gpus.request,
    shmSize: input.spec.run?.shm || undefined,
    ipc: input.spec.run?.ipc,
    memory: input.spec.run?.memory,
    cpus: input.spec.run?.cpus,
    env: { ...input.spec.run?.env },
    token: input.token,
    sshPublicKey: null,
    sshKeyPath: null,
  });
  const secretEnv: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.env)) {
    if (SECRET_KEYS.includes(key)) secretEnv[key] = value;
    else env[key] = value;
  }
  const container: ContainerSpec = {
    ...spec,
    env,
    ...(input.network && !hostNetwork ? { networkMode: input.network } : {}),
  };
  return { container, access, secretEnv, ports, hostNetwork };
}

/** `KEY=value` lines for an env file (Docker's --env-file and Compose's env_file read them alike). */
export function renderEnvFile(values: Record<string, string>): string {
  const lines = ["# torchstack export: secrets for the environment (generated; keep out of version control)"];
  return `${[...lines, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join("\n")}\n`;
}
