/**
 * A build that failed before its first step because the base image could not be pulled
 * (no route to the registry, DNS, TLS, a refused or unknown image): which image and which
 * registry, read from BuildKit's `[internal] load metadata for REF` step and its error, and
 * the fixes for that case, never a package-name hint. Pure.
 */

export interface BasePullFailure {
  /** The image BuildKit asked for: `docker.io/library/debian:12-slim`. */
  image: string;
  /** The registry host that did not answer (from the error), else the image's registry. */
  registry: string;
  /** The error text BuildKit gave. */
  reason: string;
}

const METADATA_STEP = /^\[internal\] load metadata for (\S+)$/;
const URL_HOST = /https?:\/\/([\w.-]+(?::\d+)?)\//;

/** The image's registry: `docker.io` for `docker.io/library/debian:12-slim`, `ghcr.io` for `ghcr.io/a/b`. */
function registryOf(image: string): string {
  const first = image.split("/")[0] ?? "";
  return image.includes("/") && /[.:]/.test(first) ? first : "docker.io";
}

export function basePullFailure(stepName: string, error: string): BasePullFailure | null {
  const match = METADATA_STEP.exec(stepName);
  if (!match?.[1]) return null;
  const image = match[1];
  return { image, registry: URL_HOST.exec(error)?.[1] ?? registryOf(image), reason: error };
}

/** Local bases `npm run engine:setup` makes (debootstrap), for the Debian images the catalog pulls. */
const LOCAL_BASES: Readonly<Record<string, string>> = {
  "docker.io/library/debian:12-slim": "torchstack-local/debian:12",
  "docker.io/library/debian:13-slim": "torchstack-local/debian:13",
};

/** The fixes for a base image that could not be pulled: a local base where one exists, a mirror, a load. */
export function basePullFixes(failure: BasePullFailure): string[] {
  const short = failure.image.replace(/^docker\.io\/(library\/)?/, "");
  const local = LOCAL_BASES[failure.image];
  return [
    ...(local
      ? [
          `build on the local base instead (npm run engine:setup makes it, no registry needed): set base: image:${local} in torchstack.yaml, then torchstack lock && torchstack build`,
        ]
      : []),
    `or pull it through a registry mirror you can reach: set base: image:MIRROR/${short} in torchstack.yaml (then torchstack lock)`,
    `or load it by hand: docker pull ${short} where ${failure.registry} is reachable, then docker save ${short} | docker load here`,
  ];
}
