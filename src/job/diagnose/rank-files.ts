/**
 * Reads torchrun's per-rank log folder (`--log_dir` / PET_LOG_DIR): one
 * `<run id>_<random>` folder per node agent, `attempt_K/<local rank>/` with
 * stdout.log, stderr.log and error.json. Which node wrote a folder comes from
 * the agent's "log directory set to: …" line (LOGLEVEL=INFO) in the launcher
 * output; with one node it is node 0. Each file's last-write time is when its
 * rank last wrote, which orders failures in time across nodes.
 */
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { StreamLine } from "./rank-stream.js";
import { RANK_FILE_LIMITS, readHeadTail } from "./read-head-tail.js";

export interface RankFile {
  node: number | null;
  localRank: number;
  rank: number | null;
  attempt: number;
  stream: "stdout" | "stderr" | "error";
  path: string;
  text: string;
  /** Last write, ms since the epoch. */
  mtimeMs: number;
}

/** Agent folder name → node, from "log directory set to: /…/NAME" lines. */
export function agentFolders(lines: readonly StreamLine[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of lines) {
    const dir = /log directory set to: (\S+)/.exec(line.text)?.[1];
    if (dir && line.node !== null) map.set(basename(dir), line.node);
  }
  return map;
}

/**
 * A cluster job's rank folder is open to the image's user, so anyone on a node could plant entries in it: only
 * real folders and regular files are read, never a link (to /etc/shadow, to a huge file) or a FIFO (which would
 * block the read forever).
 */
function isRealFolder(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function numbered(dir: string, pattern: RegExp): { name: string; n: number }[] {
  if (!isRealFolder(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, n: Number(pattern.exec(name)?.[1] ?? Number.NaN) }))
    .filter((entry) => Number.isFinite(entry.n) && isRealFolder(join(dir, entry.name)));
}

/** Every rank file of the latest attempt of each agent folder. */
export function readRankFiles(root: string, lines: readonly StreamLine[], procsPerNode: number): RankFile[] {
  if (!existsSync(root)) return [];
  const folders = readdirSync(root).filter((name) => isRealFolder(join(root, name)));
  const byName = agentFolders(lines);
  const files: RankFile[] = [];
  for (const folder of folders) {
    const node = byName.get(folder) ?? (folders.length === 1 ? 0 : null);
    const attempts = numbered(join(root, folder), /^attempt_(\d+)$/).sort((a, b) => b.n - a.n);
    const latest = attempts[0];
    if (!latest) continue;
    const attemptDir = join(root, folder, latest.name);
    for (const local of numbered(attemptDir, /^(\d+)$/)) {
      for (const [stream, file] of [
        ["stdout", "stdout.log"],
        ["stderr", "stderr.log"],
        ["error", "error.json"],
      ] as const) {
        const path = join(attemptDir, local.name, file);
        const stat = lstatSync(path, { throwIfNoEntry: false });
        if (!stat?.isFile() || stat.size === 0) continue;
        files.push({
          node,
          localRank: local.n,
          rank: node === null ? null : node * procsPerNode + local.n,
          attempt: latest.n,
          stream,
          path,
          text: readHeadTail(path, RANK_FILE_LIMITS),
          mtimeMs: stat.mtimeMs,
        });
      }
    }
  }
  return files;
}
