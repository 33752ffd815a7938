/**
 * `torchstack up`: starts an environment from the image `build` made. Finds the
 * image by its lock tag, checks the GPU request against the engine's GPU
 * runtime, picks host ports, generates the Jupyter token and finds (or makes)
 * the SSH key, creates and starts the container, waits until every app answers,
 * then saves the environment record (0600) and returns the access. Ctrl-C or a
 * failure before the environment is ready removes the half-started container.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { Reporter } from "../../cli/reporter.js";
import { EngineError } from "../../errors.js";
import type { ProcessRunner } from "../../process/run-process.js";
import type { ContainerSpec, Engine } from "../engine-client.js";
import type { EnvironmentImage } from "../environment-image.js";
import { detectGpuRuntime } from "../gpu-runtime.js";
import { type Access, planContainer } from "./container-plan.js";
import { type EnvironmentRecord, writeEnvironmentRecord } from "./environment-record.js";
import { pickFreePort } from "./free-port.js";
import { describeGpus, gpuRequestFor, parseGpuSelection } from "./gpu-request.js";
import { APP_KEYS, type AppKey, imageFacts } from "./image-labels.js";
import { readinessFor } from "./readiness.js";
import { findOrCreateSshKey } from "./ssh-key.js";
import { capUlimits, isRlimitRefusal, readHardLimits } from "./ulimit-fallback.js";
import { type Clock, waitUntilReady } from "./wait-strategies.js";
import { workspaceOwner } from "./workspace-owner.js";

export interface UpOptions {
  name?: string;
  workspace?: string;
  gpus?: string;
  cpuOk: boolean;
  expose: boolean;
  network?: string;
  shmSize?: string;
  ipc?: string;
  memory?: string;
  cpus?: number;
  env: Record<string, string>;
  ports: Partial<Record<AppKey, number>>;
  timeoutSeconds: number;
}

export interface UpDeps {
  engine: Engine;
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  cwd: string;
  reporter: Reporter;
  signal: AbortSignal;
  clock?: Clock;
}

export interface UpResult extends Access {
  name: string;
  container: string;
  record: EnvironmentRecord;
}

async function requestedGpus(image: EnvironmentImage, options: UpOptions, cuda: boolean, deps: UpDeps) {
  const wanted = options.gpus ?? image.spec.run?.gpus ?? (cuda ? "all" : "none");
  const selection = parseGpuSelection(wanted);
  if (selection.kind === "none") return { selection, request: { kind: "none" as const } };
  const runtime = detectGpuRuntime(await deps.engine.info());
  if (runtime.kind === "none") {
    if (!options.cpuOk) {
      throw new EngineError(
        "E_NO_GPU_RUNTIME",
        `GPUs were asked for (${describeGpus(selection)}) but this engine has no GPU runtime (no nvidia runtime in docker info, no NVIDIA CDI spec in /etc/cdi or /var/run/cdi)`,
        {
          remedies: [
            "install the NVIDIA Container Toolkit and run: sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker",
            "or for Podman/CDI: sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
            "or start without GPUs: torchstack up --cpu-ok (or --gpus none)",
          ],
        },
      );
    }
    deps.reporter.warn("no GPU runtime on this engine: starting without GPUs (--cpu-ok)");
    return { selection: { kind: "none" as const }, request: { kind: "none" as const } };
  }
  return { selection, request: gpuRequestFor(selection, runtime) };
}

/** Engines started with --bridge=none cannot publish ports: use the host's network there, and say so. */
async function defaultNetwork(engine: Engine, reporter: Reporter): Promise<string | undefined> {
  const names = await engine.networks().catch(() => ["bridge"]);
  if (names.includes("bridge")) return undefined;
  reporter.info(
    "the engine has no bridge network (dockerd --bridge=none): using --network host, apps on 127.0.0.1",
  );
  return "host";
}

function engineFailure(what: string, error: unknown): EngineError {
  const why = error instanceof Error ? error.message : String(error);
  return new EngineError("E_ENGINE_FAILED", `the engine could not ${what}: ${why}`, {
    remedies: [
      "check the engine: docker info",
      "see the engine's log (dockerd's log file or journalctl -u docker)",
    ],
    cause: error,
  });
}

async function createAndStart(engine: Engine, spec: ContainerSpec, reporter: Reporter): Promise<string> {
  let id = await engine.containers.create(spec).catch((error: unknown) => {
    throw engineFailure("create the container", error);
  });
  try {
    await engine.containers.start(id);
    return id;
  } catch (error) {
    await engine.containers.remove(id, { force: true, volumes: false }).catch(() => {});
    if (!isRlimitRefusal(error)) throw engineFailure("start the container", error);
    const ulimits = capUlimits(spec.ulimits, readHardLimits());
    reporter.warn(
      `this host cannot raise ulimits for containers (no CAP_SYS_RESOURCE): using ${ulimits.map((u) => `${u.name}=${u.hard}`).join(", ")} instead of memlock=-1, stack=67108864`,
    );
    id = await engine.containers.create({ ...spec, ulimits });
    try {
      await engine.containers.start(id);
      return id;
    } catch (retryError) {
      await engine.containers.remove(id, { force: true, volumes: false }).catch(() => {});
      throw engineFailure("start the container", retryError);
    }
  }
}

export async function upEnvironment(
  image: EnvironmentImage,
  options: UpOptions,
  deps: UpDeps,
): Promise<UpResult> {
  const { engine, reporter } = deps;
  const name = options.name ?? image.spec.name;
  const details = await engine.images.inspect(image.tags.lock);
  if (!details) {
    throw new EngineError("E_NO_IMAGE", `no image ${image.tags.lock} for this spec and lock`, {
      remedies: [`torchstack build -f ${image.specFile}`],
    });
  }
  const facts = imageFacts(details.labels);
  const containerName = `torchstack-${name}`;
  const existing = await engine.containers.inspect(containerName);
  if (existing?.running) {
    throw new EngineError("E_ALREADY_UP", `environment ${name} is already running (${containerName})`, {
      remedies: [`torchstack urls ${name}`, `torchstack down ${name} (then up again)`],
    });
  }
  if (existing) await engine.containers.remove(existing.id, { force: true, volumes: false });

  const gpus = await requestedGpus(image, options, facts.cuda, deps);
  const workspace = resolve(deps.cwd, options.workspace ?? ".");
  const owner = workspaceOwner(workspace, deps.env);
  const network = options.network ?? image.spec.run?.network ?? (await defaultNetwork(engine, reporter));
  const hostNetwork = network === "host";
  const bindHost = options.expose ? "0.0.0.0" : "127.0.0.1";
  const hostPorts: Partial<Record<AppKey, number>> = {};
  const taken = new Set<number>();
  for (const app of APP_KEYS) {
    const inImage = facts.apps[app];
    if (!inImage) continue;
    const port =
      options.ports[app] ??
      (await pickFreePort(bindHost, image.spec.run?.ports?.[app] ?? inImage.port, taken));
    hostPorts[app] = port;
    taken.add(port);
  }
  const token = randomBytes(24).toString("hex");
  const key = hostPorts.ssh === undefined ? null : await findOrCreateSshKey(deps.env, deps.run);
  const { spec, access } = planContainer({
    name,
    image: image.tags.lock,
    facts,
    workspace,
    specFile: image.specFile,
    owner,
    hostNetwork,
    expose: options.expose,
    hostPorts,
    gpus: describeGpus(gpus.selection),
    gpuRequest: gpus.request,
    ...(options.shmSize
      ? { shmSize: options.shmSize }
      : image.spec.run?.shm
        ? { shmSize: image.spec.run.shm }
        : {}),
    ...((options.ipc ?? image.spec.run?.ipc) ? { ipc: options.ipc ?? image.spec.run?.ipc } : {}),
    ...((options.memory ?? image.spec.run?.memory)
      ? { memory: options.memory ?? image.spec.run?.memory }
      : {}),
    ...((options.cpus ?? image.spec.run?.cpus) ? { cpus: options.cpus ?? image.spec.run?.cpus } : {}),
    env: { ...image.spec.run?.env, ...options.env },
    token,
    sshPublicKey: key?.publicKey ?? null,
    sshKeyPath: key?.privateKey ?? null,
  });

  reporter.step(`starting ${containerName} from ${image.tags.lock}`);
  const id = await createAndStart(engine, spec, reporter);
  try {
    const strategies = readinessFor(facts, hostPorts, token);
    await waitUntilReady(
      strategies,
      {
        logs: async () => {
          const stream = await engine.containers.logs(id, { follow: false, tail: 50 });
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(Buffer.from(chunk));
          return Buffer.concat(chunks).toString("utf8");
        },
        state: async () => {
          const info = await engine.containers.inspect(id);
          return {
            running: info?.running ?? false,
            state: info?.state ?? "gone",
            health: info?.health ?? null,
          };
        },
      },
      {
        timeoutMs: options.timeoutSeconds * 1000,
        signal: deps.signal,
        ...(deps.clock ? { clock: deps.clock } : {}),
        onReady: (app) => reporter.info(`${app} ready`),
      },
    );
  } catch (error) {
    await engine.containers.remove(id, { force: true, volumes: false }).catch(() => {});
    throw error;
  }
  const record: EnvironmentRecord = {
    name,
    container: containerName,
    containerId: id,
    image: image.tags.lock,
    workspace,
    user: facts.user.name,
    network: hostNetwork ? "host" : "default",
    gpus: describeGpus(gpus.selection),
    ports: hostPorts,
    urls: access.urls,
    token: hostPorts.jupyter === undefined ? null : token,
    ssh: access.ssh,
    sshKey: key?.privateKey ?? null,
    createdAt: new Date().toISOString(),
  };
  writeEnvironmentRecord(deps.env, record);
  return { name, container: containerName, urls: access.urls, ssh: access.ssh, record };
}
