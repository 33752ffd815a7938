/**
 * `build --push REGISTRY`: retags the built image under the registry, pushes
 * each tag, reads the pushed manifest digest from RepoDigests, and records it
 * in the lock beside the spec (`images` entry) so a deploy can pin it.
 */

import type { Reporter } from "../../cli/reporter.js";
import { EngineError } from "../../errors.js";
import { writeLock } from "../../lock/lock-file.js";
import { lockSchema } from "../../lock/lock-schema.js";
import type { ProcessRunner } from "../../process/run-process.js";
import type { Engine } from "../engine-client.js";
import type { EnvironmentImage } from "../environment-image.js";
import type { BuildClient } from "./build-client.js";

export function registryRef(registry: string, tag: string): string {
  return `${registry.replace(/\/+$/, "")}/${tag}`;
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
): Promise<{ ref: string; digest: string }[]> {
  const pushed: { ref: string; digest: string }[] = [];
  const env = { ...deps.env, DOCKER_HOST: deps.engine.endpoint.host };
  for (const tag of tags) {
    const ref = registryRef(registry, tag);
    await deps.engine.images.tag(tag, ref);
    deps.reporter.step(`pushing ${ref}`);
    try {
      await deps.run(deps.client.docker, ["push", ref], { env, signal: deps.signal });
    } catch (error) {
      throw new EngineError(
        "E_PUSH_FAILED",
        `could not push ${ref}: ${error instanceof Error ? error.message : String(error)}`,
        {
          remedies: [
            `docker login ${registry.split("/")[0]}`,
            "check the registry address and that it is reachable",
          ],
          cause: error,
        },
      );
    }
    const details = await deps.engine.images.inspect(ref);
    const repo = ref.slice(0, ref.lastIndexOf(":"));
    const digest = details?.repoDigests.find((d) => d.startsWith(`${repo}@`))?.split("@")[1];
    if (digest) pushed.push({ ref, digest });
  }
  // Record the digest in the lock when its schema has a place for it; otherwise report it only.
  const withImages = lockSchema.safeParse({ ...image.lock, images: pushed });
  if (withImages.success && "images" in withImages.data) writeLock(image.lockPath, withImages.data);
  else
    deps.reporter.warn(
      `pushed digests not recorded in ${image.lockPath}: this lock version has no images field`,
    );
  return pushed;
}
