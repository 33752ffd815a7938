/**
 * All environments torchstack started, found by label (dev.torchstack.managed),
 * with their image, state, uptime, GPUs, ports and access from the saved
 * records, and whose each is (this state folder's, or another user's or state
 * folder's): what `ps`, the dashboard and `top` show. Returns [] when no engine
 * answers, so callers on machines without an engine still work.
 */
import { connectEngine } from "../engine/connect-engine.js";
import type { Engine } from "../engine/engine-client.js";
import type { EnvironmentSummary } from "./environment.js";
import { readEnvironmentRecord } from "./environment-record.js";
import { currentOwner, describeOwner, isOwnedBy, OWNER_LABEL } from "./ownership.js";

function parsePorts(text: string | undefined): Record<string, number> {
  try {
    const value: unknown = JSON.parse(text ?? "{}");
    if (typeof value !== "object" || value === null) return {};
    return Object.fromEntries(
      Object.entries(value).filter((e): e is [string, number] => typeof e[1] === "number"),
    );
  } catch {
    return {};
  }
}

export async function listEnvironmentsWith(
  engine: Engine,
  env: NodeJS.ProcessEnv,
): Promise<EnvironmentSummary[]> {
  const items = await engine.containers.list({ labels: { "dev.torchstack.managed": "true" }, all: true });
  const owner = currentOwner(env);
  // One inspect per container, all at once: `ps` and the dashboard wait on the slowest, not the sum.
  const summaries = await Promise.all(
    items.map(async (item): Promise<EnvironmentSummary> => {
      const details = await engine.containers.inspect(item.id);
      const name = item.labels["dev.torchstack.env"] ?? item.name.replace(/^torchstack-/, "");
      // containers from before owner labels have none: still the user's, as `down` treats them
      const mine = item.labels[OWNER_LABEL] === undefined || isOwnedBy(item.labels, owner);
      const record = mine ? readEnvironmentRecord(env, name) : null;
      const current = record?.containerId === item.id ? record : null;
      return {
        name,
        containerId: item.id,
        containerName: item.name,
        image: item.image,
        state: details?.state ?? item.state,
        startedAt: details?.running ? details.startedAt : null,
        gpus: item.labels["dev.torchstack.gpus"] ?? "none",
        ports: parsePorts(item.labels["dev.torchstack.ports"]),
        urls: current?.urls ?? {},
        ssh: current?.ssh ?? null,
        workspace: item.labels["dev.torchstack.workspace"] ?? null,
        mine,
        owner: mine ? "you" : describeOwner(item.labels),
      };
    }),
  );
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}

export async function listEnvironments(env: NodeJS.ProcessEnv): Promise<EnvironmentSummary[]> {
  let engine: Engine;
  try {
    engine = await connectEngine(env);
  } catch {
    return [];
  }
  return listEnvironmentsWith(engine, env);
}
