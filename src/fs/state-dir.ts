/**
 * Where torchstack keeps state between commands (environment records with their
 * access tokens, the latest doctor and bench results): `$TORCHSTACK_STATE_DIR`,
 * else `$XDG_STATE_HOME/torchstack`, else `~/.local/state/torchstack`. It holds
 * secrets, so `makeStateFolder` is the one place that creates it: 0700, and an
 * older, looser one of the caller's own is tightened to 0700.
 */
import { chmodSync, mkdirSync, statSync } from "node:fs";
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

/** Creates the state folder (0700) and `parts` inside it (each 0700); returns the innermost folder. */
export function makeStateFolder(env: NodeJS.ProcessEnv, ...parts: string[]): string {
  const root = stateDir(env);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const stats = statSync(root);
  if ((stats.mode & 0o077) !== 0 && stats.uid === process.geteuid?.()) chmodSync(root, 0o700);
  const dir = join(root, ...parts);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
