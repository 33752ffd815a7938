/**
 * torchstack's build cache on the engine: the BuildKit cache mounts its
 * Dockerfiles use (the shared pip wheel cache and apt's caches). `gc --build-cache
 * --yes` clears them with `docker builder prune --filter type=exec.cachemount`
 * (cache mounts in use by a running build are kept) and reports what was freed.
 * The engine does not say which build made a cache mount (dockerd 20.10 refuses a
 * description filter), so this clears other BuildKit builds' cache mounts too:
 * the help says so, and it only runs on request.
 */
import type { ProcessRunner } from "../../process/run-process.js";
import { dockerCli } from "../docker-cli.js";

export interface PrunedCache {
  /** What docker reported, as written: "2.843GB". */
  freed: string;
  bytes: number;
}

const UNITS: Readonly<Record<string, number>> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** "Total reclaimed space: 2.843GB" (or "Total:\t2.843GB") → 2843000000 bytes. */
export function parseReclaimed(output: string): PrunedCache {
  const match = /Total(?: reclaimed space)?:\s*([\d.]+)\s*([kKMGT]?B)/.exec(output);
  if (!match) return { freed: "0B", bytes: 0 };
  const freed = `${match[1]}${match[2]}`;
  return { freed, bytes: Math.round(Number(match[1]) * (UNITS[match[2] ?? "B"] ?? 1)) };
}

export async function pruneBuildCache(
  run: ProcessRunner,
  env: NodeJS.ProcessEnv,
  options: { olderThan?: string } = {},
): Promise<PrunedCache> {
  const args = ["builder", "prune", "-f", "--filter", "type=exec.cachemount"];
  if (options.olderThan) args.push("--filter", `until=${options.olderThan}`);
  const result = await run(dockerCli("images", env), args, { env, reject: true, timeoutMs: 10 * 60_000 });
  return parseReclaimed(`${result.stdout}\n${result.stderr}`);
}
