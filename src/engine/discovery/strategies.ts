/**
 * Engine discovery strategies, in the order they are tried: DOCKER_HOST, the
 * system socket /var/run/docker.sock, the rootless Docker socket and Podman's
 * socket. Each one either does not apply (returns null) or names an endpoint.
 * File checks go through `SocketProbe` so tests run without sockets.
 */
import type { EngineEndpoint } from "../engine-client.js";

export type SocketProbe = (path: string) => boolean;

export interface DiscoveryStrategy {
  name: string;
  /** When it applies but its engine does not answer, stop there (DOCKER_HOST is the user's explicit choice). */
  exclusive?: boolean;
  find(env: NodeJS.ProcessEnv, isSocket: SocketProbe, uid: number): EngineEndpoint | null;
}

function unixEndpoint(strategy: string, socketPath: string): EngineEndpoint {
  return { strategy, host: `unix://${socketPath}`, socketPath };
}

export function parseDockerHost(
  strategy: string,
  value: string,
  env: NodeJS.ProcessEnv,
): EngineEndpoint | null {
  if (value.startsWith("unix://")) return unixEndpoint(strategy, value.slice("unix://".length));
  const match = /^(tcp|http|https):\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(value);
  if (!match) return null;
  const tls = match[1] === "https" || (env.DOCKER_TLS_VERIFY ?? "") !== "";
  const port = match[3] ? Number(match[3]) : tls ? 2376 : 2375;
  const tcp = { host: match[2] ?? "localhost", port, protocol: tls ? ("https" as const) : ("http" as const) };
  return {
    strategy,
    host: value,
    tcp: env.DOCKER_CERT_PATH ? { ...tcp, certPath: env.DOCKER_CERT_PATH } : tcp,
  };
}

const runtimeDir = (env: NodeJS.ProcessEnv, uid: number): string => env.XDG_RUNTIME_DIR || `/run/user/${uid}`;

export const DISCOVERY_STRATEGIES: readonly DiscoveryStrategy[] = [
  {
    name: "DOCKER_HOST",
    exclusive: true,
    find: (env) => (env.DOCKER_HOST ? parseDockerHost("DOCKER_HOST", env.DOCKER_HOST, env) : null),
  },
  {
    name: "system socket",
    find: (_env, isSocket) =>
      isSocket("/var/run/docker.sock") ? unixEndpoint("system socket", "/var/run/docker.sock") : null,
  },
  {
    name: "rootless socket",
    find: (env, isSocket, uid) => {
      const path = `${runtimeDir(env, uid)}/docker.sock`;
      return isSocket(path) ? unixEndpoint("rootless socket", path) : null;
    },
  },
  {
    name: "Podman socket",
    find: (env, isSocket, uid) => {
      for (const path of [`${runtimeDir(env, uid)}/podman/podman.sock`, "/run/podman/podman.sock"]) {
        if (isSocket(path)) return unixEndpoint("Podman socket", path);
      }
      return null;
    },
  },
];
