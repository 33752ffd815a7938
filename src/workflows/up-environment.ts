/**
 * `torchstack up`: starts an environment from the image `build` made. Finds the
 * image by its lock tag, checks the GPU request against the engine's GPU
 * runtime, picks host ports, generates the Jupyter token and finds (or makes)
 * the SSH key, creates and starts the container, waits until every app answers,
 * then saves the environment record (0600) and returns the access. Ctrl-C or a
 * failure before the environment is ready removes the half-started container.
 */
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { defaultNetwork } from "../engine/default-network.js";
import type { Engine } from "../engine/engine-client.js";
import { type EnvironmentRecord, writeEnvironmentRecord } from "../environments/environment-record.js";
import { currentOwner, describeOwner, isOwnedBy, ownerLabels } from "../environments/ownership.js";
import { readinessFor } from "../environments/readiness/readiness.js";
import { type Clock, waitUntilReady } from "../environments/readiness/wait-strategies.js";
import { type Access, planContainer, tensorboardNotice } from "../environments/up/container-plan.js";
import { pickFreePort } from "../environments/up/free-port.js";
import { describeGpus } from "../environments/up/gpu-request.js";
import { APP_KEYS, type AppKey, imageFacts } from "../environments/up/image-labels.js";
import { type RootWorkspaceFinding, rootWorkspaceFinding } from "../environments/up/root-workspace.js";
import { findOrCreateSshKey } from "../environments/up/ssh-key.js";
import { checkNetworkExists, createAndStart, requestedGpus } from "../environments/up/up-steps.js";
import { workspaceOwner } from "../environments/up/workspace-owner.js";
import { EngineError } from "../errors/torchstack-error.js";
import type { ProcessRunner } from "../process/run-process.js";
import type { Reporter } from "../report/reporter.js";
import type { EnvironmentImage } from "./environment-image.js";

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
  /** What `up` warned about on the way (a workspace the environment's user cannot write). */
  warnings: RootWorkspaceFinding[];
  /** Apps whose preferred host port was busy: the port asked and the one used instead. */
  movedPorts: { app: AppKey; asked: number; port: number }[];
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
  const resourceOwner = currentOwner(deps.env);
  if (existing && !isOwnedBy(existing.labels, resourceOwner)) {
    // someone else's container: another user's environment, another state folder's, or a plain `docker run`
    throw new EngineError(
      "E_NAME_IN_USE",
      `a container named ${containerName} exists and belongs to ${describeOwner(existing.labels)}; not replacing it`,
      {
        remedies: [
          `start this environment under another name: torchstack up ${name}-2 (or change name: in the spec)`,
          `see whose it is: docker inspect --format '{{json .Config.Labels}}' ${containerName}`,
        ],
      },
    );
  }
  if (existing?.running) {
    throw new EngineError("E_ALREADY_UP", `environment ${name} is already running (${containerName})`, {
      remedies: [`torchstack urls ${name}`, `torchstack down ${name} (then up again)`],
    });
  }
  if (existing) await engine.containers.remove(existing.id, { force: true, volumes: false });

  const gpus = await requestedGpus(
    options.gpus ?? image.spec.run?.gpus ?? (facts.cuda ? "all" : "none"),
    options,
    deps,
  );
  const workspace = resolve(deps.cwd, options.workspace ?? ".");
  const owner = workspaceOwner(workspace, deps.env);
  const runEnv = { ...image.spec.run?.env, ...options.env };
  const specDir = dirname(image.specFile);
  const fileArgument = specDir === resolve(deps.cwd) ? "" : `-f ${relative(deps.cwd, image.specFile)}`;
  const readOnly =
    runEnv.TORCHSTACK_RUN_AS_ROOT === "1"
      ? null
      : rootWorkspaceFinding({
          name,
          workspace,
          owner,
          mode: statSync(workspace).mode,
          user: facts.user,
          again: [options.name ?? "", fileArgument].filter(Boolean).join(" "),
        });
  if (readOnly)
    reporter.warn(
      `${readOnly.message} (${readOnly.code})\n${readOnly.fix.map((f) => `  fix: ${f}`).join("\n")}`,
    );
  const network =
    options.network ?? image.spec.run?.network ?? (await defaultNetwork(engine, reporter, "run"));
  await checkNetworkExists(engine, network);
  const hostNetwork = network === "host";
  const bindHost = options.expose ? "0.0.0.0" : "127.0.0.1";
  const hostPorts: Partial<Record<AppKey, number>> = {};
  const taken = new Set<number>();
  const movedPorts: UpResult["movedPorts"] = [];
  for (const app of APP_KEYS) {
    const inImage = facts.apps[app];
    if (!inImage) continue;
    const asked = image.spec.run?.ports?.[app] ?? inImage.port;
    const port = options.ports[app] ?? (await pickFreePort(bindHost, asked, taken));
    if (options.ports[app] === undefined && port !== asked) {
      movedPorts.push({ app, asked, port });
      reporter.info(
        `${app}: port ${asked} is in use, so ${app} gets port ${port} (choose one: --port ${app}=PORT)`,
      );
    }
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
    // Flags win over the spec's `run:`; planContainer treats an empty value as unset (shm then 8g).
    shmSize: options.shmSize || image.spec.run?.shm || undefined,
    ipc: options.ipc ?? image.spec.run?.ipc,
    memory: options.memory ?? image.spec.run?.memory,
    cpus: options.cpus ?? image.spec.run?.cpus,
    env: { ...image.spec.run?.env, ...options.env },
    token,
    sshPublicKey: key?.publicKey ?? null,
    sshKeyPath: key?.privateKey ?? null,
  });

  if (hostPorts.tensorboard !== undefined) reporter.warn(tensorboardNotice(options.expose));
  reporter.step(`starting ${containerName} from ${image.tags.lock}`);
  const id = await createAndStart(
    engine,
    { ...spec, labels: { ...spec.labels, ...ownerLabels(resourceOwner) } },
    reporter,
  );
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
  return {
    name,
    container: containerName,
    urls: access.urls,
    ssh: access.ssh,
    record,
    warnings: readOnly ? [readOnly] : [],
    movedPorts,
  };
}
