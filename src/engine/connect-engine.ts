/**
 * The entry point commands use to reach the engine: discovery with the
 * dockerode-backed client. Kept separate so unit tests import the discovery
 * logic without loading dockerode.
 */
import type { Reporter } from "../report/reporter.js";
import { discoverEngine } from "./discovery/discover-engine.js";
import { connectDockerode } from "./dockerode-engine.js";
import type { Engine } from "./engine-client.js";

export function connectEngine(env: NodeJS.ProcessEnv, reporter?: Reporter): Promise<Engine> {
  return discoverEngine(env, {
    connect: connectDockerode,
    ...(reporter ? { log: (message: string) => reporter.debug(message) } : {}),
  });
}
