/**
 * ContainerClient over dockerode: translates torchstack's ContainerSpec into the
 * Engine API's create body (ports, binds, shm, ulimits, GPUs as DeviceRequests
 * or CDI devices), and runs `exec` with demultiplexed output and the exit code.
 */
import { PassThrough, type Readable } from "node:stream";
import type Docker from "dockerode";
import type { ContainerClient, ContainerSpec, ExecOptions, ExecResult, GpuRequest } from "./engine-client.js";

function deviceRequests(gpus: GpuRequest): Docker.DeviceRequest[] | undefined {
  if (gpus.kind === "nvidia") {
    return [
      gpus.deviceIds
        ? { Driver: "nvidia", DeviceIDs: gpus.deviceIds, Capabilities: [["gpu"]] }
        : { Driver: "nvidia", Count: gpus.count ?? -1, Capabilities: [["gpu"]] },
    ];
  }
  // Docker 25+ takes CDI names through DeviceRequests with the "cdi" driver; Podman maps them too.
  if (gpus.kind === "cdi") return [{ Driver: "cdi", DeviceIDs: gpus.devices }];
  return undefined;
}

function createBody(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    exposed[`${p.containerPort}/tcp`] = {};
    bindings[`${p.containerPort}/tcp`] = [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }];
  }
  const requests = deviceRequests(spec.gpus);
  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: spec.labels,
    ...(spec.user ? { User: spec.user } : {}),
    ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
    ExposedPorts: exposed,
    HostConfig: {
      Binds: spec.binds,
      PortBindings: bindings,
      ...(spec.networkMode ? { NetworkMode: spec.networkMode } : {}),
      ...(spec.shmSizeBytes ? { ShmSize: spec.shmSizeBytes } : {}),
      ...(spec.ipcMode ? { IpcMode: spec.ipcMode } : {}),
      ...(spec.securityOpt?.length ? { SecurityOpt: spec.securityOpt } : {}),
      ...(spec.memoryBytes ? { Memory: spec.memoryBytes } : {}),
      ...(spec.nanoCpus ? { NanoCpus: spec.nanoCpus } : {}),
      Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      ...(requests ? { DeviceRequests: requests } : {}),
      Init: false,
    },
  };
}

const isStatus = (error: unknown, code: number): boolean =>
  typeof error === "object" && error !== null && (error as { statusCode?: number }).statusCode === code;

async function runExec(docker: Docker, id: string, options: ExecOptions): Promise<ExecResult> {
  const exec = await docker.getContainer(id).exec({
    Cmd: options.cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: options.stdin !== undefined,
    Tty: options.tty ?? false,
    ...(options.user ? { User: options.user } : {}),
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
  });
  const stream = await exec.start({
    hijack: true,
    stdin: options.stdin !== undefined,
    Tty: options.tty ?? false,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on("data", (c: Buffer) =>
    options.onStdout ? options.onStdout(c) : out.push(c),
  );
  const stderr = new PassThrough().on("data", (c: Buffer) =>
    options.onStderr ? options.onStderr(c) : err.push(c),
  );
  if (options.tty) stream.pipe(stdout);
  else docker.modem.demuxStream(stream, stdout, stderr);
  // Keep the container's terminal the size of ours.
  const resize = (): void => {
    if (process.stdout.columns && process.stdout.rows) {
      exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => {});
    }
  };
  if (options.tty) {
    // The engine accepts a size only once the process runs: try at once and again shortly after.
    for (const delay of [0, 50, 250]) setTimeout(resize, delay).unref();
    process.stdout.on("resize", resize);
  }
  if (typeof options.stdin === "string") stream.end(options.stdin);
  else if (options.stdin) options.stdin.pipe(stream);
  const abort = (): void => {
    stream.destroy();
  };
  options.signal?.addEventListener("abort", abort, { once: true });
  await new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", () => resolve());
  });
  options.signal?.removeEventListener("abort", abort);
  if (options.tty) process.stdout.off("resize", resize);
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode ?? (options.signal?.aborted ? 130 : 1),
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
  };
}

export function createContainerClient(docker: Docker): ContainerClient {
  return {
    async create(spec) {
      const container = await docker.createContainer(createBody(spec));
      return container.id;
    },
    async start(id) {
      await docker.getContainer(id).start();
    },
    async inspect(idOrName) {
      try {
        const info = await docker.getContainer(idOrName).inspect();
        const env: Record<string, string> = {};
        for (const entry of info.Config.Env ?? []) {
          const eq = entry.indexOf("=");
          if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
        }
        return {
          id: info.Id,
          name: info.Name.replace(/^\//, ""),
          image: info.Config.Image,
          state: info.State.Status,
          running: info.State.Running,
          exitCode: info.State.Running ? null : info.State.ExitCode,
          startedAt:
            info.State.StartedAt && !info.State.StartedAt.startsWith("0001") ? info.State.StartedAt : null,
          health: info.State.Health?.Status ?? null,
          labels: info.Config.Labels ?? {},
          env,
        };
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },
    async list({ labels, all }) {
      const label = Object.entries(labels).map(([k, v]) => (v === "" ? k : `${k}=${v}`));
      const items = await docker.listContainers({ all, filters: JSON.stringify({ label }) });
      return items.map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
        image: c.Image,
        imageId: c.ImageID,
        state: c.State,
        labels: c.Labels ?? {},
      }));
    },
    async logs(id, { follow, tail }) {
      const container = docker.getContainer(id);
      const info = await container.inspect();
      const options = { stdout: true, stderr: true, ...(tail === undefined ? {} : { tail }) };
      const raw = follow
        ? await container.logs({ ...options, follow: true })
        : ((await container.logs({ ...options, follow: false })) as unknown as Buffer);
      const out = new PassThrough();
      if (Buffer.isBuffer(raw)) {
        const source = new PassThrough();
        source.end(raw);
        if (info.Config.Tty) source.pipe(out);
        else {
          docker.modem.demuxStream(source, out, out);
          source.on("end", () => out.end());
        }
        return out;
      }
      const stream = raw as Readable;
      if (info.Config.Tty) stream.pipe(out);
      else {
        docker.modem.demuxStream(stream, out, out);
        stream.on("end", () => out.end());
      }
      out.on("close", () => stream.destroy());
      return out;
    },
    async stop(id, timeoutSeconds) {
      try {
        await docker.getContainer(id).stop({ t: timeoutSeconds });
      } catch (error) {
        if (!isStatus(error, 304) && !isStatus(error, 404)) throw error;
      }
    },
    async remove(id, { force, volumes }) {
      try {
        await docker.getContainer(id).remove({ force, v: volumes });
      } catch (error) {
        if (!isStatus(error, 404)) throw error;
      }
    },
    exec: (id, options) => runExec(docker, id, options),
  };
}
