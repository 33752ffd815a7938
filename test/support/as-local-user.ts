/**
 * Stands in for another local user in tests: runs a command under a UID/GID that has no account
 * (setpriv --reuid/--regid, no accounts created). Only root can switch, so `canSwitchUser` says
 * whether these tests can run here.
 */
import { spawnSync } from "node:child_process";

/** The victim (who owns the workspace) and another local user, as the security review numbered them. */
export const VICTIM = 2001;
export const OTHER_USER = 2002;

export const canSwitchUser =
  process.geteuid?.() === 0 && spawnSync("setpriv", ["--version"], { stdio: "ignore" }).status === 0;

export interface AsUserResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `argv` as `uid` (its own group, no supplementary groups), with a bare environment. */
export function asUser(uid: number, argv: string[], input?: string): AsUserResult {
  const result = spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", ...argv], {
    encoding: "utf8",
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    ...(input ? { input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
