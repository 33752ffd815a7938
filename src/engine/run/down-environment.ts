/**
 * `torchstack down NAME`: stops and removes the environment's container and its
 * record. The workspace is a bind mount and is never touched; anonymous and
 * named volumes go only with `--volumes`.
 */
import type { Engine } from "../engine-client.js";
import { findEnvironment } from "../find-environment.js";
import { removeEnvironmentRecord } from "./environment-record.js";

export async function downEnvironment(
  engine: Engine,
  env: NodeJS.ProcessEnv,
  name: string,
  options: { volumes: boolean },
): Promise<{ name: string; container: string; removed: boolean }> {
  const container = await findEnvironment(engine, name);
  if (container.running) await engine.containers.stop(container.id, 5);
  await engine.containers.remove(container.id, { force: true, volumes: options.volumes });
  removeEnvironmentRecord(env, name);
  return { name, container: container.name, removed: true };
}
