/**
 * Building blocks for Dockerfile RUN lines: continuation formatting, and apt and
 * pip installs that use BuildKit cache mounts (downloads stay out of the image
 * and are reused across builds). Words that come from the lock are shell-quoted.
 */

import { shellJoin } from "../process/shell-quote.js";

export const CONSTRAINTS_PATH = "/etc/torchstack/constraints.txt";
export const REQUIREMENTS_PATH = "/etc/torchstack/requirements.txt";
export const APT_CACHE = [
  "--mount=type=cache,target=/var/cache/apt,sharing=locked",
  "--mount=type=cache,target=/var/lib/apt,sharing=locked",
];
const PIP_CACHE = "--mount=type=cache,target=/root/.cache/pip";

/** `RUN <mounts> \` then `    cmd \` continuation lines. */
export function run(mounts: readonly string[], commands: readonly string[]): string[] {
  const head = mounts.length === 0 ? [] : [`RUN ${mounts.join(" \\\n    ")} \\`];
  const body = commands.map((c, i) => {
    const prefix = i === 0 ? (mounts.length === 0 ? "RUN " : "    ") : "    && ";
    return `${prefix}${c}${i === commands.length - 1 ? "" : " \\"}`;
  });
  return [...head, ...body];
}

export function aptInstall(packages: readonly string[]): string[] {
  return run(APT_CACHE, [
    "apt-get update",
    `apt-get install -y --no-install-recommends ${shellJoin(packages)}`,
  ]);
}

export function pipInstall(args: string): string[] {
  return run([PIP_CACHE], [`pip install ${args}`]);
}
