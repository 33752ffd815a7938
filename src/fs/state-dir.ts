/**
 * Where torchstack keeps state between commands (environment records with their
 * access tokens, the latest doctor and bench results): `$TORCHSTACK_STATE_DIR`,
 * else `$XDG_STATE_HOME/torchstack`, else `~/.local/state/torchstack`.
 */
import { homedir } from "node:os";
import { join } from "node:path";

export function stateDir(env: NodeJS.ProcessEnv): string {
  if (env.TORCHSTACK_STATE_DIR) return env.TORCHSTACK_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(base, "torchstack");
}

/** `latest.json` of doctor or bench, read by the dashboard. */
export function latestResultPath(env: NodeJS.ProcessEnv, kind: "doctor" | "bench"): string {
  return join(stateDir(env), kind, "latest.json");
}

/** The record of one environment started by `up` (URLs, token, ports). */
export function environmentRecordPath(env: NodeJS.ProcessEnv, name: string): string {
  return join(stateDir(env), "envs", `${name}.json`);
}
