/**
 * `torchstack build`: spec and lock → rendered context (without the `# syntax=`
 * line, so BuildKit never reaches for Docker Hub) in a temp dir → one atomic
 * BuildKit build → tags `NAME:torch…-<flavor>` and `NAME:lock-<digest>`.
 * `--push REGISTRY` then pushes both tags and records the pushed digest.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectBuildClient } from "../engine/build/build-client.js";
import { buildImage } from "../engine/build/build-image.js";
import { defaultNetwork } from "../engine/default-network.js";
import type { Engine } from "../engine/engine-client.js";
import { renderBuildContext, writeBuildContext } from "../image/render-context.js";
import type { ProcessRunner } from "../process/run-process.js";
import type { Reporter } from "../report/reporter.js";
import { loadEnvironmentImage } from "./environment-image.js";
import { pushImage } from "./push-image.js";

export interface BuildOptions {
  file?: string;
  network?: string;
  push?: string;
  noCache: boolean;
}

export interface BuildDeps {
  engine: Engine;
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  cwd: string;
  reporter: Reporter;
  signal: AbortSignal;
}

export interface BuildResult {
  ok: true;
  image: string;
  tags: string[];
  imageId: string;
  seconds: number;
  cachedSteps: string[];
  pushed?: { ref: string; digest: string }[];
}

export async function buildEnvironment(options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  const image = await loadEnvironmentImage(deps.cwd, options.file, {
    createLock: true,
    // Images are often built on GPU-less machines: how this host fits the lock is a warning here.
    hostFit: "warn",
    reporter: deps.reporter,
    env: deps.env,
  });
  const client = await detectBuildClient(deps.env, deps.run);
  deps.reporter.info(`build client: ${client.reason}`);
  const network = options.network ?? (await defaultNetwork(deps.engine, deps.reporter, "build"));
  const dir = mkdtempSync(join(tmpdir(), "torchstack-build-"));
  const contextDir = join(dir, "context");
  try {
    // No `# syntax=` line: the Dockerfile frontend built into BuildKit is used, nothing is pulled.
    writeBuildContext(contextDir, renderBuildContext({ lock: image.lock, syntax: false }));
    deps.reporter.step(`building ${image.tags.stack} (${image.tags.lock})`);
    const built = await buildImage({
      engine: deps.engine,
      client,
      run: deps.run,
      contextDir,
      repository: image.lock.name,
      tags: [image.tags.stack, image.tags.lock],
      noCache: options.noCache,
      env: deps.env,
      reporter: deps.reporter,
      signal: deps.signal,
      ...(network ? { network } : {}),
    });
    const result: BuildResult = {
      ok: true,
      image: image.tags.stack,
      tags: built.tags,
      imageId: built.imageId,
      seconds: Math.round(built.seconds * 10) / 10,
      cachedSteps: built.cachedSteps,
    };
    if (options.push) {
      result.pushed = await pushImage(image, built.tags, options.push, { ...deps, client });
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
