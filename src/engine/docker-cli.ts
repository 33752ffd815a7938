/**
 * The one place that decides which docker CLI torchstack runs (the Engine API goes through
 * dockerode instead; the CLI is for what only it does: BuildKit builds, pushes, `docker run`
 * for jobs and probes). Two settings, each documented in docs/settings.md, neither an alias
 * of the other:
 * - TORCHSTACK_DOCKER: the CLI `build` runs. Unset, every `docker` on PATH and then
 *   /usr/bin/docker and /usr/local/bin/docker are candidates, and the build takes the first
 *   with BuildKit (build/build-client.ts). `push` uses the client the build chose, and
 *   `job check` looks the job's image up with it.
 * - TORCHSTACK_DOCKER_CLI: the docker-compatible CLI jobs use (`job run --target local`, the
 *   Slurm OCI bundle export). Unset: `docker`.
 * The image commands (`sbom`, `lock --check --image`, `gc --build-cache`) run `docker` on PATH.
 */
import { existsSync, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The name a command line uses for the CLI, found on PATH (also what rendered commands say). */
export const DOCKER_ON_PATH = "docker";

/** What the CLI is run for: each use reads its own setting. */
export type DockerCliUse = "build" | "jobs" | "images";

/** Every docker on PATH, then the usual fixed places: each file once (merged-/usr has one file under two names). */
function dockersFound(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string[] {
  const onPath = (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, DOCKER_ON_PATH))
    .filter(exists);
  const fixed = ["/usr/bin/docker", "/usr/local/bin/docker"].filter(exists);
  return [...onPath, ...fixed];
}

function firstOfEachFile(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((path) => {
    let real = path;
    try {
      real = realpathSync(path);
    } catch {}
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/**
 * The docker CLI `use` runs: TORCHSTACK_DOCKER for `build` (and what looks up a build's image),
 * TORCHSTACK_DOCKER_CLI for `jobs`, each else `docker` on PATH; `images` always `docker` on PATH.
 */
export function dockerCli(use: DockerCliUse, env: NodeJS.ProcessEnv): string {
  switch (use) {
    case "build":
      return env.TORCHSTACK_DOCKER || DOCKER_ON_PATH;
    case "jobs":
      return env.TORCHSTACK_DOCKER_CLI || DOCKER_ON_PATH;
    case "images":
      return DOCKER_ON_PATH;
  }
}

/**
 * The docker CLIs `use` may run, best first: for `build`, TORCHSTACK_DOCKER (when set) and then
 * every docker found, for the build to probe for BuildKit; for the other uses, `dockerCli` alone.
 */
export function dockerClis(
  use: DockerCliUse,
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
): string[] {
  if (use !== "build") return [dockerCli(use, env)];
  return firstOfEachFile([
    ...(env.TORCHSTACK_DOCKER ? [env.TORCHSTACK_DOCKER] : []),
    ...dockersFound(env, exists),
  ]);
}
