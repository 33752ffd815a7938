/**
 * Why this state folder has no record of environment NAME, asked of the engine when one answers:
 * it belongs to another user or state folder (its URLs and token live in that folder's record, and
 * `up NAME` here would collide with it), it is a typo of a known name, or it was never started here.
 */

import { connectEngine } from "../engine/connect-engine.js";
import type { Engine } from "../engine/engine-client.js";
import { EngineError } from "../errors/torchstack-error.js";
import { environmentNames, noEnvironmentError } from "./find-environment.js";
import { currentOwner, describeOwner, isOwnedBy, MANAGED_LABEL, OWNER_LABEL } from "./ownership.js";

export async function explainNoRecord(env: NodeJS.ProcessEnv, name: string): Promise<EngineError> {
  const why = " (it was never started from this state folder, or it is down)";
  let engine: Engine;
  try {
    engine = await connectEngine(env);
  } catch {
    return noEnvironmentError(name, [], why);
  }
  const container = await engine.containers.inspect(`torchstack-${name}`).catch(() => null);
  const labels = container?.labels ?? {};
  if (labels[MANAGED_LABEL] === "true" && labels[OWNER_LABEL] && !isOwnedBy(labels, currentOwner(env))) {
    return new EngineError(
      "E_NO_ENVIRONMENT",
      `environment ${name} belongs to ${describeOwner(labels)}: its URLs and token are in that state folder's record, not this one's`,
      {
        remedies: [
          `ask it there: TORCHSTACK_STATE_DIR=… torchstack urls ${name} (as the user who started it)`,
          `start your own under another name: torchstack up ${name}-2`,
        ],
      },
    );
  }
  if (labels[MANAGED_LABEL] === "true") {
    return new EngineError(
      "E_NO_ENVIRONMENT",
      `environment ${name} exists (${container?.state ?? "unknown"}) but its record in this state folder is gone`,
      { remedies: [`torchstack down ${name} && torchstack up ${name} (writes a fresh record)`] },
    );
  }
  return noEnvironmentError(name, await environmentNames(engine).catch(() => []), why);
}
