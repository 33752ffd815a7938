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
import { defaultNetwork } from "../engine/default-network.js";
import type { Engine } from "../engine/engine-client.js";
import { detectGpuRuntime } from "../engine/gpu-runtime.js";
import { EngineError } from "../errors/torchstack-error.js";
import { renderBuildContext, writeBuildContext } from "../image/render-context.js";
import { buildImage } from "../image-build/build-image.js";
import { recordInventory } from "../inventory/record-inventory.js";
import { assertAppChecksums } from "../lock/app-checksums.js";
import { writeLock } from "../lock/lock-file.js";
import type { ProcessRunner } from "../process/run-process.js";
import type { Reporter } from "../report/reporter.js";
import { wheelIndexAccess } from "./build-index-access.js";
import { loadEnvironmentImage } from "./environment-image.js";
import { wheelLocker } from "./lock-wheels.js";
import { pushImage } from "./push-image.js";

export interface BuildOptions {
  file?: string;
  network?: string;
  push?: string;
  noCache: boolean;
  /** `--python-index` / `--pytorch-index` (else PIP_INDEX_URL, UV_DEFAULT_INDEX, UV_INDEX_URL, the spec, PyPI). */
  pythonIndex?: string | undefined;
  pytorchIndex?: string | undefined;
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
  /** The image's inventory, written beside the lock. */
  inventory: { file: string; dpkgPackages: number; pipDistributions: number };
}

/** A failed build's last fix says what happened to the lock: unchanged, or written by this run (there was none). */
function withLockNote(error: unknown, lockCreated: boolean, lockPath: string): unknown {
  if (!(error instanceof EngineError) || error.code !== "E_BUILD_FAILED") return error;
  const note = lockCreated
    ? `this run wrote ${lockPath} (there was none); keep it, the next build uses it`
    : "the lock is unchanged";
  return new EngineError(error.code, error.message, {
    remedies: [...error.remedies, note],
    ...(error.details ? { details: error.details } : {}),
    cause: error.cause,
  });
}

export async function buildEnvironment(options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  const gpuRuntime = await deps.engine.info().then(
    (info) => detectGpuRuntime(info).kind !== "none",
    () => undefined,
  );
  const image = await loadEnvironmentImage(deps.cwd, options.file, {
    createLock: true,
    // Images are often built on GPU-less machines: how this host fits the lock is a warning here.
    hostFit: "warn",
    ...(gpuRuntime === undefined ? {} : { gpuRuntime }),
    reporter: deps.reporter,
    env: deps.env,
    lockWheels: wheelLocker({
      run: deps.run,
      env: deps.env,
      flags: { pythonIndex: options.pythonIndex, pytorchIndex: options.pytorchIndex },
      onStage: (message) => deps.reporter.step(message),
      signal: deps.signal,
    }),
  });
  // A vscode app needs code-server's sha256 before anything is built (the lock says where it comes from).
  assertAppChecksums(image.lock);
  const client = await detectBuildClient(deps.env, deps.run);
  deps.reporter.info(`build client: ${client.reason}`);
  const network = options.network ?? (await defaultNetwork(deps.engine, deps.reporter, "build"));
  const dir = mkdtempSync(join(tmpdir(), "torchstack-build-"));
  const contextDir = join(dir, "context");
  try {
    // No `# syntax=` line: the Dockerfile frontend built into BuildKit is used, nothing is pulled.
    // A lock with an inventory pins every dpkg and pip package to it (a rebuild installs exactly those).
    const inventory = image.inventory?.();
    if (inventory)
      deps.reporter.info(
        `pinning ${inventory.dpkg.length} dpkg and ${inventory.pip.length} pip packages to the lock's inventory`,
      );
    writeBuildContext(
      contextDir,
      renderBuildContext({ lock: image.lock, syntax: false, ...(inventory ? { inventory } : {}) }),
    );
    const access = wheelIndexAccess(image.lock, image.spec, options, deps.env, dir);
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
      ...access,
    }).catch((error: unknown) => {
      throw withLockNote(error, image.lockCreated, image.lockPath);
    });
    deps.reporter.step("recording the image's inventory beside the lock");
    const recorded = await recordInventory(image.tags.lock, image.lock, image.lockPath, {
      run: deps.run,
      docker: client.docker,
      env: deps.env,
      signal: deps.signal,
    });
    // The lock changes only when the contents differ: a rebuild that installs exactly the
    // locked packages leaves it as it was (the image id it was first read from included).
    const sameContents = recorded.lock.inventory?.digest === image.lock.inventory?.digest;
    const lock = sameContents ? image.lock : recorded.lock;
    if (!sameContents) writeLock(image.lockPath, lock);
    const result: BuildResult = {
      ok: true,
      image: image.tags.stack,
      tags: built.tags,
      imageId: built.imageId,
      seconds: Math.round(built.seconds * 10) / 10,
      cachedSteps: built.cachedSteps,
      inventory: {
        file: recorded.path,
        dpkgPackages: recorded.inventory.dpkg.length,
        pipDistributions: recorded.inventory.pip.length,
      },
    };
    if (options.push) {
      result.pushed = await pushImage({ ...image, lock }, built.tags, options.push, {
        ...deps,
        client,
      });
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
