/**
 * Whether this user's environment NAME is running on the engine: a managed container
 * `torchstack-NAME` this state folder owns (or one from before owner labels). False when
 * no engine answers, so host-only machines are never slowed down or refused by it.
 */
import { connectEngine } from "../engine/connect-engine.js";
import { currentOwner, isOwnedBy, MANAGED_LABEL, OWNER_LABEL } from "./ownership.js";

export async function isEnvironmentRunning(env: NodeJS.ProcessEnv, name: string): Promise<boolean> {
  try {
    const engine = await connectEngine(env);
    const container = await engine.containers.inspect(`torchstack-${name}`);
    if (!container?.running || container.labels[MANAGED_LABEL] !== "true") return false;
    return container.labels[OWNER_LABEL] === undefined || isOwnedBy(container.labels, currentOwner(env));
  } catch {
    return false;
  }
}
