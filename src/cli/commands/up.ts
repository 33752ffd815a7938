/**
 * `torchstack up`: starts the environment built from the spec and waits until
 * its apps answer, then prints ready-to-use access (Jupyter URL with token,
 * SSH command, TensorBoard URL).
 */
import { connectEngine } from "../../engine/connect-engine.js";
import { parseSize } from "../../environments/up/container-plan.js";
import { parseGpuSelection } from "../../environments/up/gpu-request.js";
import { APP_KEYS, type AppKey } from "../../environments/up/image-labels.js";
import { UsageError } from "../../errors/torchstack-error.js";
import { runProcess } from "../../process/run-process.js";
import { reservedEnvReason } from "../../spec/reserved-env.js";
import { loadEnvironmentImage } from "../../workflows/environment-image.js";
import { upEnvironment } from "../../workflows/up-environment.js";
import { optionalEnvironmentPositional, wholeNumberValue } from "../args.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";

/** `K=V` items of a repeatable flag as pairs; `flag` names it in the error. */
function keyValues(items: readonly string[], flag: string): [string, string][] {
  return items.map((item) => {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} needs KEY=VALUE, got "${item}"`);
    return [item.slice(0, eq), item.slice(eq + 1)];
  });
}

/** `--env K=V` pairs; torchstack's own variables are refused (exit 2), as they are in run.env. */
function envFlags(items: readonly string[]): Record<string, string> {
  const pairs = keyValues(items, "--env");
  for (const [name] of pairs) {
    const reason = reservedEnvReason(name, "command line");
    if (reason)
      throw new UsageError(`--env ${name}: ${reason}`, {
        remedies: [`leave --env ${name} out (torchstack up sets what it needs; see torchstack up --help)`],
      });
  }
  return Object.fromEntries(pairs);
}

/** `--port APP=PORT` pairs, each app one the image serves and each port 1-65535. */
function portFlags(items: readonly string[]): Partial<Record<AppKey, number>> {
  const ports: Partial<Record<AppKey, number>> = {};
  for (const [app, value] of keyValues(items, "--port")) {
    if (!(APP_KEYS as readonly string[]).includes(app))
      throw new UsageError(`--port: unknown app "${app}" (${APP_KEYS.join(", ")})`);
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UsageError(`--port ${app}= needs a port 1-65535`);
    ports[app as AppKey] = port;
  }
  return ports;
}

export const upCommand = defineCommand({
  name: "up",
  summary: "start the environment and wait until its apps answer",
  usage:
    "up [NAME] [-f FILE] [--workspace DIR] [--gpus all|N|0,1|GPU-uuid|MIG-uuid|none] [--cpu-ok] [--expose] [--network host] " +
    "[--shm-size 8g] [--ipc host] [--memory 16g] [--cpus 4] [-e K=V]… [--port app=PORT]… [--timeout S]",
  description:
    "Runs the image `torchstack build` made as container torchstack-NAME: the workspace (default: this folder) at " +
    "/workspace, the user remapped to the workspace owner's UID:GID, ports on 127.0.0.1 only (unless --expose), " +
    "8 GB /dev/shm (or --ipc host), memlock and stack ulimits, GPUs through the engine's GPU runtime. Jupyter gets " +
    "a generated token, SSH your ~/.ssh key (or a generated one); both are saved for `torchstack urls NAME`.",
  options: {
    file: specFileOption,
    workspace: {
      type: "string",
      valueName: "DIR",
      description: "folder mounted at /workspace (default: current folder)",
    },
    gpus: {
      type: "string",
      valueName: "SPEC",
      description: "all, a count, indices 0,1, GPU-/MIG- UUIDs, or none",
    },
    "cpu-ok": { type: "boolean", description: "start without GPUs when the engine has no GPU runtime" },
    expose: { type: "boolean", description: "publish ports on every interface (default: 127.0.0.1 only)" },
    network: {
      type: "string",
      valueName: "MODE",
      description: "container network; host: apps listen on the host's loopback",
    },
    "shm-size": { type: "string", valueName: "SIZE", description: "/dev/shm size (default 8g)" },
    ipc: { type: "string", valueName: "MODE", description: "IPC namespace, e.g. host (replaces --shm-size)" },
    memory: { type: "string", valueName: "SIZE", description: "memory limit" },
    cpus: { type: "string", valueName: "N", description: "CPU limit" },
    env: {
      type: "string",
      short: "e",
      multiple: true,
      valueName: "K=V",
      description: "environment variable",
    },
    port: { type: "string", multiple: true, valueName: "APP=PORT", description: "host port for an app" },
    timeout: { type: "string", valueName: "S", description: "seconds to wait for the apps (default 60)" },
  },
  positionals: [{ name: "NAME", description: "environment name (default: the spec's name)" }],
  examples: [
    "torchstack up",
    "torchstack up --network host --json",
    "torchstack up --gpus 0,1 --workspace ~/project",
  ],
  async run(input, io) {
    const cpusText = input.flags.cpus;
    const cpus = cpusText === undefined ? undefined : Number(cpusText);
    if (cpusText !== undefined && (!/^\d+(\.\d+)?$/.test(cpusText) || !(Number(cpus) > 0)))
      throw new UsageError(`--cpus must be a positive number such as 4 or 1.5, got "${cpusText}"`);
    // Malformed sizes and GPU selections fail now (exit 2), before the spec, the image or the engine is read.
    const { workspace, gpus, network, ipc, memory } = input.flags;
    const shmSize = input.flags["shm-size"];
    for (const [flag, size] of [
      ["shm-size", shmSize],
      ["memory", memory],
    ] as const) {
      if (size !== undefined && parseSize(size, flag) <= 0)
        throw new UsageError(`--${flag} must be more than zero, got "${size}"`);
    }
    if (gpus !== undefined) parseGpuSelection(gpus);
    if (ipc !== undefined && !/^(host|private|shareable|none|container:[\w.-]+)$/.test(ipc))
      throw new UsageError(`--ipc must be host, private, shareable, none or container:NAME, got "${ipc}"`);
    const options = {
      cpuOk: input.flags["cpu-ok"],
      expose: input.flags.expose,
      env: envFlags(input.flags.env),
      ports: portFlags(input.flags.port),
      timeoutSeconds: wholeNumberValue(input.flags.timeout, "--timeout", { min: 1, max: 3600 }) ?? 60,
    };
    const name = optionalEnvironmentPositional(input, 0);
    const image = await loadEnvironmentImage(io.cwd, input.flags.file, {
      createLock: false,
      reporter: io.reporter,
      env: io.env,
      // A host that cannot run the locked CUDA stack is refused when GPUs are wanted, unless --cpu-ok.
      hostFit: options.cpuOk ? "warn" : "refuse",
      ...(gpus === undefined ? {} : { gpus }),
    });
    const engine = await connectEngine(io.env, io.reporter);
    const result = await upEnvironment(
      image,
      {
        ...options,
        workspace,
        gpus,
        network,
        shmSize,
        ipc,
        memory,
        ...(name ? { name } : {}),
        ...(cpus ? { cpus } : {}),
      },
      { engine, run: runProcess, env: io.env, cwd: io.cwd, reporter: io.reporter, signal: io.signal },
    );
    const json = {
      ok: true,
      name: result.name,
      container: result.container,
      urls: result.urls,
      ...(result.ssh ? { ssh: result.ssh } : {}),
      ...(result.movedPorts.length > 0 ? { movedPorts: result.movedPorts } : {}),
      ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
    };
    const lines = [`${result.name} is up (${result.container})`];
    const moved = new Map(result.movedPorts.map((m) => [m.app as string, m]));
    for (const [app, url] of Object.entries(result.urls)) {
      const m = moved.get(app);
      lines.push(`  ${app}: ${url}${m ? `  (port ${m.asked} was in use)` : ""}`);
    }
    if (result.ssh) lines.push(`  ssh: ${result.ssh}`);
    lines.push(`  stop it with: torchstack down ${result.name}`);
    return { json, text: lines.join("\n") };
  },
});
