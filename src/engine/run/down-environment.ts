/**
 * `torchstack down NAME`: stops and removes the environment's container and its
 * record. The workspace is a bind mount and is never touched; anonymous and
 * named volumes go only with `--volumes`. Another owner's environment (another
 * user or state folder, by the owner labels) is refused, never removed.
 */
import { EngineError } from "../../errors/torchstack-error.js";
import type { Engine } from "../engine-client.js";
import { findEnvironment } from "../find-environment.js";
import { currentOwner, describeOwner, isOwnedBy, OWNER_LABEL } from "../ownership.js";
import { removeEnvironmentRecord } from "./environment-record.js";

export async function downEnvironment(
  engine: Engine,
  env: NodeJS.ProcessEnv,
  name: string,
  options: { volumes: boolean },
): Promise<{ name: string; container: string; removed: boolean }> {
  const container = await findEnvironment(engine, name);
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
  if (container.running) await engine.containers.stop(container.id, 5);
  await engine.containers.remove(container.id, { force: true, volumes: options.volumes });
  removeEnvironmentRecord(env, name);
  return { name, container: container.name, removed: true };
}
