/**
 * `torchstack down NAME`: stops and removes the environment's container and its
 * record. The workspace is a bind mount and is never touched; anonymous and
 * named volumes go only with `--volumes`. Another owner's environment (another
 * user or state folder, by the owner labels) is refused, never removed. An
 * environment that is already down is not an error (`removed: false`), unless the
 * name looks like a typo of one that exists: then "did you mean".
 */

import type { Engine } from "../engine/engine-client.js";
import { EngineError } from "../errors/torchstack-error.js";
import { removeEnvironmentRecord } from "./environment-record.js";
import { environmentNames, meantEnvironment, noEnvironmentError } from "./find-environment.js";
import { currentOwner, describeOwner, isOwnedBy, MANAGED_LABEL, OWNER_LABEL } from "./ownership.js";

export async function downEnvironment(
  engine: Engine,
  env: NodeJS.ProcessEnv,
  name: string,
  options: { volumes: boolean; onStop?: (container: string) => void },
): Promise<{ name: string; container: string; removed: boolean }> {
  const containerName = `torchstack-${name}`;
  const container = await engine.containers.inspect(containerName);
  if (container?.labels[MANAGED_LABEL] !== "true") {
    const known = await environmentNames(engine).catch(() => []);
    if (meantEnvironment(name, known)) throw noEnvironmentError(name, known);
    removeEnvironmentRecord(env, name);
    return { name, container: containerName, removed: false };
  }
  const owner = currentOwner(env);
  // containers from before owner labels have none: still the user's to take down by name
  if (container.labels[OWNER_LABEL] !== undefined && !isOwnedBy(container.labels, owner)) {
    throw new EngineError(
      "E_NAME_IN_USE",
      `environment ${name} (${container.name}) belongs to ${describeOwner(container.labels)}; not stopping it`,
      {
        remedies: [
          "take it down from its own state folder: TORCHSTACK_STATE_DIR=… torchstack down NAME",
          `or, if it is yours after all: docker rm -f ${container.name}`,
        ],
      },
    );
  }
  options.onStop?.(container.name);
  if (container.running) await engine.containers.stop(container.id, 5);
  await engine.containers.remove(container.id, { force: true, volumes: options.volumes });
  removeEnvironmentRecord(env, name);
  return { name, container: container.name, removed: true };
}
