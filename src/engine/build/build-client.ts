/**
 * Which docker client can run a BuildKit build (cache mounts need BuildKit):
 * one with the buildx plugin (`docker buildx build --load`), else a classic
 * client older than 23.0, whose built-in BuildKit runs with DOCKER_BUILDKIT=1
 * (Debian's /usr/bin/docker 20.10). Newer clients without buildx cannot build
 * with BuildKit at all, so they are passed over with the reason. The candidates, in
 * order, come from the one choice of docker CLI (../docker-cli.ts).
 */
import { EngineError } from "../../errors/torchstack-error.js";
import type { ProcessRunner } from "../../process/run-process.js";
import { dockerClis } from "../docker-cli.js";

export interface BuildClient {
  kind: "buildx" | "classic-buildkit";
  docker: string;
  version: string;
  /** Why this one was chosen, and why others were not: printed for the user. */
  reason: string;
}

const major = (version: string): number => Number(/^(\d+)/.exec(version)?.[1] ?? "0");

export async function detectBuildClient(
  env: NodeJS.ProcessEnv,
  run: ProcessRunner,
  candidates: readonly string[] = dockerClis("build", env),
): Promise<BuildClient> {
  const notes: string[] = [];
  const versions = new Map<string, string>();
  for (const docker of candidates) {
    const version = await run(docker, ["version", "--format", "{{.Client.Version}}"], {
      reject: false,
      env,
      timeoutMs: 10_000,
    })
      .then((r) => r.stdout.trim() || "unknown")
      .catch(() => "");
    if (!version) {
      notes.push(`${docker} does not run`);
      continue;
    }
    versions.set(docker, version);
    const buildx = await run(docker, ["buildx", "version"], { reject: false, env, timeoutMs: 10_000 }).catch(
      () => null,
    );
    if (buildx?.exitCode === 0) {
      return { kind: "buildx", docker, version, reason: `${docker} ${version} has buildx` };
    }
    notes.push(`${docker} ${version} has no buildx`);
  }
  for (const [docker, version] of versions) {
    if (major(version) > 0 && major(version) < 23) {
      return {
        kind: "classic-buildkit",
        docker,
        version,
        reason: `${notes.join("; ")}; using ${docker} ${version} with DOCKER_BUILDKIT=1 (its built-in BuildKit)`,
      };
    }
  }
  throw new EngineError(
    "E_NO_BUILDKIT",
    `no docker client here can build with BuildKit (${notes.join("; ") || "no docker client found"})`,
    {
      remedies: [
        "install the buildx plugin: apt-get install docker-buildx (or docker-buildx-plugin from Docker's repository)",
        "or install Debian's docker.io (its /usr/bin/docker 20.10 has BuildKit built in): npm run engine:setup",
        "or name a client explicitly: TORCHSTACK_DOCKER=/path/to/docker",
      ],
    },
  );
}

/** The argv and environment of a build with this client. */
export function buildInvocation(
  client: BuildClient,
  args: {
    contextDir: string;
    tag: string;
    network?: string;
    noCache: boolean;
    labels?: Record<string, string>;
    /** BuildKit secrets (`--secret id=ID,src=FILE`): mounted for one RUN step, never in a layer. */
    secrets?: { id: string; src: string }[];
    buildArgs?: Record<string, string>;
  },
  env: NodeJS.ProcessEnv,
): { file: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const common = [
    "--progress=plain",
    "-t",
    args.tag,
    ...(args.network ? ["--network", args.network] : []),
    ...(args.noCache ? ["--no-cache"] : []),
    ...Object.entries(args.labels ?? {}).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...(args.secrets ?? []).flatMap((s) => ["--secret", `id=${s.id},src=${s.src}`]),
    ...Object.entries(args.buildArgs ?? {}).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
    args.contextDir,
  ];
  if (client.kind === "buildx") {
    return { file: client.docker, argv: ["buildx", "build", "--load", ...common], env };
  }
  return { file: client.docker, argv: ["build", ...common], env: { ...env, DOCKER_BUILDKIT: "1" } };
}
