/**
 * Finds a running container engine: tries each discovery strategy in order,
 * connects to the first endpoints that apply and keeps the first that answers a
 * ping (DOCKER_HOST, when set, is the only one tried). Says which one it uses
 * (debug log); with none, throws EngineError
 * E_NO_ENGINE listing what was tried and how to start an engine.
 */
import { statSync } from "node:fs";
import { EngineError } from "../../errors/torchstack-error.js";
import type { Engine, EngineEndpoint } from "../engine-client.js";
import { DISCOVERY_STRATEGIES, type DiscoveryStrategy, type SocketProbe } from "./strategies.js";

export interface DiscoverOptions {
  strategies?: readonly DiscoveryStrategy[];
  isSocket?: SocketProbe;
  uid?: number;
  connect: (endpoint: EngineEndpoint) => Engine;
  log?: (message: string) => void;
}

const isUnixSocket: SocketProbe = (path) => {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
};

const NO_ENGINE_FIXES = [
  "on a Debian host, as root: npm run engine:setup (installs docker.io and starts dockerd)",
  "with systemd: sudo systemctl start docker",
  "by hand: sudo dockerd --bridge=none --iptables=false &",
  "or point DOCKER_HOST at a running engine, e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock",
];

export async function discoverEngine(env: NodeJS.ProcessEnv, options: DiscoverOptions): Promise<Engine> {
  const tried: string[] = [];
  const uid = options.uid ?? process.getuid?.() ?? 0;
  for (const strategy of options.strategies ?? DISCOVERY_STRATEGIES) {
    const endpoint = strategy.find(env, options.isSocket ?? isUnixSocket, uid);
    if (!endpoint) {
      tried.push(`${strategy.name}: not applicable`);
      continue;
    }
    const engine = options.connect(endpoint);
    try {
      await engine.ping();
      options.log?.(`container engine: ${endpoint.host} (found by ${strategy.name})`);
      return engine;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      tried.push(`${strategy.name} (${endpoint.host}): no answer: ${why}`);
      if (strategy.exclusive) break;
    }
  }
  throw new EngineError("E_NO_ENGINE", `no container engine answers (tried ${tried.join("; ")})`, {
    remedies: NO_ENGINE_FIXES,
    details: { tried },
  });
}
