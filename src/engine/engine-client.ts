/**
 * The narrow interfaces the rest of torchstack uses to talk to a container
 * engine. Only `dockerode-engine.ts` knows dockerode; everything else (build,
 * up, exec, ps, down, gc) sees these types, so it can be tested with fakes and
 * the engine library can change without touching the commands.
 */
import type { Readable } from "node:stream";

export interface PortBinding {
  /** In-container port, e.g. 8888. */
  containerPort: number;
  hostIp: string;
  hostPort: number;
}

/** A GPU request in the engine's terms: the NVIDIA runtime's DeviceRequests or CDI device names. */
export type GpuRequest =
  | { kind: "none" }
  | { kind: "nvidia"; count?: number; deviceIds?: string[] }
  | { kind: "cdi"; devices: string[] };

export interface ContainerSpec {
  name: string;
  image: string;
  cmd?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  workingDir?: string;
  /** `SRC:DST[:ro]` bind mounts. */
  binds: string[];
  ports: PortBinding[];
  networkMode?: string;
  shmSizeBytes?: number;
  ipcMode?: string;
  memoryBytes?: number;
  nanoCpus?: number;
  ulimits: { name: string; soft: number; hard: number }[];
  gpus: GpuRequest;
  /** `no-new-privileges`: no process of the container gains privilege through a set-ID file. */
  securityOpt?: string[];
}

export interface ContainerDetails {
  id: string;
  name: string;
  image: string;
  state: string;
  running: boolean;
  exitCode: number | null;
  startedAt: string | null;
  health: string | null;
  labels: Record<string, string>;
  env: Record<string, string>;
}

export interface ContainerListItem {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  labels: Record<string, string>;
}

export interface ExecOptions {
  cmd: string[];
  user?: string;
  workingDir?: string;
  env?: Record<string, string>;
  stdin?: string | Readable;
  tty?: boolean;
  /** Streams output as it arrives; without them, output is collected. */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ContainerClient {
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  inspect(idOrName: string): Promise<ContainerDetails | null>;
  list(filter: { labels: Record<string, string>; all: boolean }): Promise<ContainerListItem[]>;
  logs(id: string, options: { follow: boolean; tail?: number }): Promise<Readable>;
  stop(id: string, timeoutSeconds: number): Promise<void>;
  remove(id: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  exec(id: string, options: ExecOptions): Promise<ExecResult>;
}

export interface ImageDetails {
  id: string;
  tags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  layers: string[];
}

export interface ImageClient {
  inspect(ref: string): Promise<ImageDetails | null>;
  tag(ref: string, target: string): Promise<void>;
  remove(ref: string): Promise<void>;
  list(filter: { labels: Record<string, string> }): Promise<ImageDetails[]>;
}

export interface EngineInfo {
  serverVersion: string;
  runtimes: string[];
  cdiSpecDirs: string[];
  isPodman: boolean;
}

/** Where the engine was found: what the docker CLI needs in DOCKER_HOST to reach the same one. */
export interface EngineEndpoint {
  strategy: string;
  /** `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  host: string;
  socketPath?: string;
  tcp?: { host: string; port: number; protocol: "http" | "https"; certPath?: string };
}

export interface Engine {
  endpoint: EngineEndpoint;
  containers: ContainerClient;
  images: ImageClient;
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;
  /** Names of the engine's networks ("bridge", "host", "none", …). */
  networks(): Promise<string[]>;
}
