/**
 * Splits an image reference the way Docker does: `ubuntu:24.04` is
 * `registry-1.docker.io` / `library/ubuntu` / `24.04`; a first part with a dot, a
 * colon or `localhost` names the registry (`ghcr.io/x/y:1`, `127.0.0.1:5000/base:12`).
 */
export interface ImageRef {
  /** Host[:port] to talk to. */
  registry: string;
  repository: string;
  /** Tag, or null when the reference pins a digest. */
  tag: string | null;
  digest: string | null;
}

const DOCKER_HUB = "registry-1.docker.io";

export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag: string | null = null;
  const colon = path.lastIndexOf(":");
  if (colon > path.lastIndexOf("/")) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  return { registry, repository: path, tag: tag ?? (digest ? null : "latest"), digest };
}

/** Registries on loopback speak plain HTTP (as Docker allows); everything else HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, "");
  const loopback = host === "localhost" || host.startsWith("127.") || host === "[::1]";
  return `${loopback ? "http" : "https"}://${registry}`;
}
