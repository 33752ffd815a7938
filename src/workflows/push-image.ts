/**
 * `build --push REGISTRY`: retags the built image under the registry, pushes
 * each tag with the docker client, takes the manifest digest the registry
 * answered (the `TAG: digest: sha256:… size: N` line of `docker push`, else the
 * image's RepoDigests), and records `{ref, digest}` in the lock's `images` field
 * beside entries for other references. A failed push says why (registry not
 * reachable, plain-HTTP registry, login needed) with the fix, removes the tag it
 * added, and leaves the lock as it was.
 */

import type { BuildClient } from "../engine/build/build-client.js";
import type { Engine } from "../engine/engine-client.js";
import { EngineError, ProcessError, UsageError } from "../errors/torchstack-error.js";
import { writeLock } from "../lock/lock-file.js";
import type { LockFile } from "../lock/lock-schema.js";
import type { ProcessRunner } from "../process/run-process.js";
import type { Reporter } from "../report/reporter.js";
import type { EnvironmentImage } from "./environment-image.js";

export type PushedImage = { ref: string; digest: string };

/** `HOST[:PORT][/NAMESPACE…]` without trailing slashes; a URL or a tagged reference is a usage error. */
export function normalizeRegistry(registry: string): string {
  const trimmed = registry.trim().replace(/\/+$/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed))
    throw new UsageError(
      `--push takes a registry address (HOST[:PORT][/NAMESPACE]), not a URL: try --push ${trimmed.replace(/^[^:]+:\/\//, "")}`,
    );
  if (!/^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(trimmed))
    throw new UsageError(
      `--push ${JSON.stringify(registry)} is not a registry address: expected HOST[:PORT][/NAMESPACE], e.g. registry.example.com:5000/team`,
    );
  return trimmed;
}

export function registryRef(registry: string, tag: string): string {
  return `${registry.replace(/\/+$/, "")}/${tag}`;
}

/** The manifest digest `docker push` printed for this tag ("lock-…: digest: sha256:… size: 2413"). */
export function digestFromPushOutput(stdout: string, ref: string): string | undefined {
  const tag = ref.slice(ref.lastIndexOf(":") + 1);
  for (const line of stdout.split("\n")) {
    const match = /^(\S+): digest: (sha256:[0-9a-f]{64})\b/.exec(line.trim());
    if (match && match[1] === tag) return match[2];
  }
  return undefined;
}

/** The lock's images after this push: entries for the pushed references are replaced, others kept. */
export function mergeImages(previous: LockFile["images"], pushed: readonly PushedImage[]): PushedImage[] {
  const refs = new Set(pushed.map((p) => p.ref));
  return [...(previous ?? []).filter((p) => !refs.has(p.ref)), ...pushed];
}

/** Turns a failed `docker push` into an error that names the registry, the cause and the fix. */
export function pushFailure(registry: string, ref: string, error: unknown): EngineError {
  const stderr = error instanceof ProcessError ? error.stderr : "";
  const text = `${error instanceof Error ? error.message : String(error)}\n${stderr}`;
  const last =
    stderr
      .trim()
      .split("\n")
      .filter((l) => l.trim())
      .at(-1) ?? (error instanceof Error ? error.message : String(error));
  const host = registry.split("/")[0] ?? registry;
  let why: string;
  let fixes: string[];
  if (/server gave HTTP response to HTTPS client/i.test(text)) {
    why = `the registry ${host} speaks plain HTTP and the engine only allows that for 127.0.0.0/8`;
    fixes = [
      `add "insecure-registries": ["${host}"] to /etc/docker/daemon.json and restart dockerd`,
      `or serve the registry over TLS, then: torchstack build --push ${registry}`,
    ];
  } else if (
    /unauthorized|authentication required|no basic auth credentials|access.*denied|denied:/i.test(text)
  ) {
    why = `the registry ${host} refused the push (not logged in, or no write access)`;
    fixes = [`docker login ${host}`, `check that your account may push to ${registry}`];
  } else if (
    /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|dial tcp|TLS handshake timeout|server misbehaving/i.test(
      text,
    )
  ) {
    why = `the registry ${host} is not reachable`;
    fixes = [
      `check that a registry listens there: curl -sI http://${host}/v2/ (or https://)`,
      `start the registry, or correct the address: torchstack build --push HOST:PORT[/NAMESPACE]`,
    ];
  } else {
    why = `docker push to ${host} failed`;
    fixes = [`docker login ${host}`, `check the registry address ${registry} and that it is reachable`];
  }
  return new EngineError("E_PUSH_FAILED", `could not push ${ref}: ${why}: ${last.trim()}`, {
    remedies: fixes,
    cause: error,
    details: { registry, ref, stderr },
  });
}

export async function pushImage(
  image: EnvironmentImage,
  tags: readonly string[],
  registry: string,
  deps: {
    engine: Engine;
    run: ProcessRunner;
    env: NodeJS.ProcessEnv;
    reporter: Reporter;
    signal: AbortSignal;
    client: BuildClient;
  },
): Promise<PushedImage[]> {
  const target = normalizeRegistry(registry);
  const pushed: PushedImage[] = [];
  const env = { ...deps.env, DOCKER_HOST: deps.engine.endpoint.host };
  for (const tag of tags) {
    const ref = registryRef(target, tag);
    await deps.engine.images.tag(tag, ref);
    deps.reporter.step(`pushing ${ref}`);
    let stdout: string;
    try {
      let partial = "";
      const result = await deps.run(deps.client.docker, ["push", ref], {
        env,
        signal: deps.signal,
        // Layer progress for long pushes: one line per layer as it finishes.
        onStdout: (chunk) => {
          const lines = (partial + chunk).split("\n");
          partial = lines.pop() ?? "";
          for (const line of lines)
            if (/: (Pushed|Layer already exists)$/.test(line.trim())) deps.reporter.info(line.trim());
        },
      });
      stdout = result.stdout;
    } catch (error) {
      await deps.engine.images.remove(ref).catch(() => {});
      throw pushFailure(target, ref, error);
    }
    const repo = ref.slice(0, ref.lastIndexOf(":"));
    const digest =
      digestFromPushOutput(stdout, ref) ??
      (await deps.engine.images.inspect(ref))?.repoDigests
        .find((d) => d.startsWith(`${repo}@`))
        ?.split("@")[1];
    if (!digest)
      throw new EngineError(
        "E_PUSH_NO_DIGEST",
        `pushed ${ref}, but the registry reported no manifest digest`,
        {
          remedies: [`docker image inspect --format '{{json .RepoDigests}}' ${ref}`, `docker push ${ref}`],
        },
      );
    pushed.push({ ref, digest });
  }
  writeLock(image.lockPath, { ...image.lock, images: mergeImages(image.lock.images, pushed) });
  deps.reporter.info(`recorded ${pushed.length} pushed reference(s) in ${image.lockPath}`);
  return pushed;
}
