/**
 * Runs one BuildKit build atomically: the image is built under a temporary tag,
 * and only when the build succeeded do the real tags move to it (then the
 * temporary tag goes). A failed or interrupted build leaves every existing tag
 * where it was and throws: a failure quotes the failing step and its last output
 * lines. Progress goes to the reporter step by step.
 */
import { randomBytes } from "node:crypto";
import { type BuildClient, buildInvocation } from "../engine/build/build-client.js";
import type { Engine } from "../engine/engine-client.js";
import { currentOwner, ownerLabels } from "../environments/ownership.js";
import { EngineError, ProcessError } from "../errors/torchstack-error.js";
import type { ProcessRunner } from "../process/run-process.js";
import type { Reporter } from "../report/reporter.js";
import { basePullFailure, basePullFixes } from "./base-pull-failure.js";
import { BuildProgress, stepLabel } from "./build-progress.js";
import { temporaryTag } from "./image-tags.js";
import { orderedProgress } from "./ordered-progress.js";

export interface BuildImageInput {
  engine: Engine;
  client: BuildClient;
  run: ProcessRunner;
  contextDir: string;
  /** Repository name for the temporary tag (the environment name). */
  repository: string;
  tags: string[];
  network?: string;
  noCache: boolean;
  secrets?: { id: string; src: string }[];
  buildArgs?: Record<string, string>;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  signal: AbortSignal;
}

export interface BuiltImage {
  imageId: string;
  tags: string[];
  seconds: number;
  /** Step names BuildKit answered from cache. */
  cachedSteps: string[];
  progress: BuildProgress;
}

/** Progress lines in step order (BuildKit announces parallel steps as they start); `end()` lets out the rest. */
function reportProgress(reporter: Reporter): BuildProgress {
  const ordered = orderedProgress((event) => {
    const name = event.step.name;
    if (event.kind === "start") reporter.step(name);
    else if (event.kind === "cached") reporter.info(`${stepLabel(name)} cached`);
    else if (event.kind === "done" && event.step.seconds !== null)
      reporter.debug(`${stepLabel(name)} done in ${event.step.seconds} s`);
    else if (event.kind === "error") reporter.warn(`failed: ${name}: ${event.step.error}`);
  });
  const progress = new BuildProgress((event) => {
    if (!event.step.name.startsWith("[internal]")) ordered.push(event);
  });
  const end = progress.end.bind(progress);
  progress.end = () => {
    end();
    ordered.flush();
  };
  return progress;
}

function buildFailure(progress: BuildProgress, error: unknown): EngineError {
  const failure = progress.failure();
  const lines = (failure?.lastLines.length ? failure.lastLines : progress.tail).slice(-12);
  const stepText = failure ? `step ${failure.step.name} failed (${failure.step.error})` : "the build failed";
  const stderr = error instanceof ProcessError ? error.stderr.trim().split("\n").slice(-3).join("\n") : "";
  const pull = failure ? basePullFailure(failure.step.name, failure.step.error ?? "") : null;
  if (pull) {
    return new EngineError(
      "E_BUILD_FAILED",
      `the base image ${pull.image} could not be pulled: registry ${pull.registry} did not answer (${pull.reason})`,
      {
        remedies: [...basePullFixes(pull), "the previous image tags are unchanged"],
        details: {
          step: failure?.step.name ?? null,
          lastLines: lines,
          registry: pull.registry,
          image: pull.image,
        },
        cause: error,
      },
    );
  }
  return new EngineError(
    "E_BUILD_FAILED",
    `${stepText}\nlast output:\n${lines.map((l) => `  ${l}`).join("\n") || stderr}`,
    {
      remedies: [
        "fix the failing step (a misspelt package name? check it with apt-cache policy NAME or pip index versions NAME), then run torchstack build again",
        "the previous image tags are unchanged",
      ],
      details: { step: failure?.step.name ?? null, lastLines: lines },
      cause: error,
    },
  );
}

export async function buildImage(input: BuildImageInput): Promise<BuiltImage> {
  const started = Date.now();
  const temp = temporaryTag(input.repository, `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`);
  const progress = reportProgress(input.reporter);
  const env = { ...input.env, DOCKER_HOST: input.engine.endpoint.host };
  const call = buildInvocation(
    input.client,
    {
      contextDir: input.contextDir,
      tag: temp,
      noCache: input.noCache,
      // whose image this is (gc removes only its owner's leftovers); metadata only, the layers stay shared
      labels: ownerLabels(currentOwner(input.env)),
      ...(input.network ? { network: input.network } : {}),
      ...(input.secrets ? { secrets: input.secrets } : {}),
      ...(input.buildArgs ? { buildArgs: input.buildArgs } : {}),
    },
    env,
  );
  try {
    await input.run(call.file, call.argv, {
      env: call.env,
      signal: input.signal,
      onStderr: (chunk) => progress.push(chunk),
      onStdout: (chunk) => progress.push(chunk),
    });
    progress.end();
  } catch (error) {
    progress.end();
    await input.engine.images.remove(temp).catch(() => {});
    if (input.signal.aborted) {
      throw new EngineError("E_INTERRUPTED", "build interrupted: no tag was moved", {
        remedies: ["run torchstack build again"],
        cause: error,
      });
    }
    throw buildFailure(progress, error);
  }
  const image = await input.engine.images.inspect(temp);
  if (!image) throw new EngineError("E_BUILD_FAILED", `the build reported success but ${temp} is missing`);
  try {
    for (const tag of input.tags) await input.engine.images.tag(temp, tag);
  } finally {
    await input.engine.images.remove(temp).catch(() => {});
  }
  const cachedSteps = [...progress.steps.values()].filter((s) => s.cached).map((s) => s.name);
  return {
    imageId: image.id,
    tags: input.tags,
    seconds: (Date.now() - started) / 1000,
    cachedSteps,
    progress,
  };
}
