/**
 * Which ranks of a job have no folder in torchrun's per-rank log folder yet:
 * every node's agent makes `<run id>_<random>/attempt_K/<local rank>/` when it
 * starts its workers. Right after a job ends, a node's folder may not be
 * visible yet on this machine (a shared file system that has not caught up),
 * and a diagnosis made then misses that node's ranks: `job diagnose` waits a
 * little for them, then says which are missing.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { agentFolders } from "./rank-files.js";
import type { StreamLine } from "./rank-stream.js";

export interface MissingRanks {
  /** Global ranks with no folder (when every agent folder's node is known), else null. */
  ranks: number[] | null;
  /** How many of the expected ranks have no folder. */
  count: number;
  expected: number;
}

function folders(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
  } catch {
    return [];
  }
}

/** Local ranks of an agent folder's latest attempt. */
function localRanks(agentDir: string): number[] {
  const attempts = folders(agentDir)
    .map((name) => Number(/^attempt_(\d+)$/.exec(name)?.[1] ?? Number.NaN))
    .filter(Number.isFinite)
    .sort((a, b) => b - a);
  if (attempts[0] === undefined) return [];
  return folders(join(agentDir, `attempt_${attempts[0]}`))
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function missingRanks(
  root: string,
  lines: readonly StreamLine[],
  nodes: number,
  procsPerNode: number,
): MissingRanks {
  const expected = nodes * procsPerNode;
  const agents = existsSync(root) ? folders(root) : [];
  const byName = agentFolders(lines);
  const present = new Set<number>();
  let unplaced = 0;
  for (const agent of agents) {
    const node = byName.get(agent) ?? (nodes === 1 ? 0 : null);
    const locals = localRanks(join(root, agent));
    if (node === null) unplaced += locals.length;
    else for (const local of locals) present.add(node * procsPerNode + local);
  }
  const count = Math.max(0, expected - present.size - unplaced);
  if (unplaced > 0) return { ranks: null, count, expected };
  const ranks = Array.from({ length: expected }, (_, rank) => rank).filter((rank) => !present.has(rank));
  return { ranks, count: ranks.length, expected };
}
