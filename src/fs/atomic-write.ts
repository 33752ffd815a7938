/**
 * The one way torchstack writes a file. Readers see the old content or the
 * new, never half of it: the content goes to a temp sibling, is fsynced and
 * renamed over the target. Only regular files are replaced: a symlink is
 * written through to the file it points at (the link stays a link), and a
 * folder, device, FIFO or socket at the path is refused with
 * E_OUTPUT_NOT_FILE before anything is written, whatever --force says. A
 * write that fails (disk full, read-only, no permission) removes its temp
 * file and ends as E_WRITE_FAILED naming the path and the reason.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";

/** What sits at a path torchstack is asked to write. */
export type OutputTarget =
  | { kind: "missing"; path: string }
  | { kind: "file"; path: string }
  | { kind: "not-file"; path: string; what: string };

const MAX_LINKS = 40;

function describe(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

function errnoOf(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : "";
}

/** Follows symlinks (dangling ones too) to the path that would really be written. */
export function outputTarget(path: string): OutputTarget {
  const absolute = resolve(path);
  let stats: Stats | undefined;
  try {
    stats = statSync(absolute); // follows every link, /proc/self/fd/N included
  } catch (error) {
    if (errnoOf(error) !== "ENOENT") throw writeFailed(path, error);
  }
  if (stats?.isFile()) return { kind: "file", path: realpathSync(absolute) };
  if (stats) return { kind: "not-file", path: realpathOr(absolute), what: describe(stats) };
  // nothing there: find where a dangling link would lead
  let current = absolute;
  for (let hop = 0; hop <= MAX_LINKS; hop += 1) {
    try {
      if (!lstatSync(current).isSymbolicLink()) break;
    } catch {
      return { kind: "missing", path: current };
    }
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw writeFailed(path, Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" }));
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Refuses a path that is not (or does not lead to) a regular file; returns the real target. */
export function assertWritableFile(path: string): OutputTarget & { kind: "missing" | "file" } {
  const target = outputTarget(path);
  if (target.kind === "not-file") {
    const through = target.path === resolve(path) ? "" : ` (it leads to ${target.path})`;
    throw new TorchstackError(
      "E_OUTPUT_NOT_FILE",
      `${path} is ${target.what}${through}, not a regular file`,
      {
        remedies: [
          "give the path of a regular file to write, e.g. -o ./out.yaml",
          ...(target.what === "a folder" ? [`or a file inside it: -o ${join(path, "FILE")}`] : []),
          "to print to standard output use -o -",
        ],
      },
    );
  }
  return target;
}

const WHY: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
  ENOENT: "its folder does not exist",
  ENOTDIR: "a part of the path is not a folder",
  ELOOP: "too many levels of symbolic links",
  EIO: "an I/O error",
};

export function writeFailed(path: string, error: unknown): TorchstackError {
  const code = errnoOf(error);
  const why = WHY[code] ?? (error instanceof Error ? error.message : String(error));
  const remedies =
    code === "ENOSPC" || code === "EDQUOT"
      ? [`free space on the file system of ${dirname(path)} (df -h ${dirname(path)}) and run again`]
      : code === "ENOENT"
        ? [`create the folder first: mkdir -p ${dirname(path)}`]
        : [`write somewhere you can: check ls -ld ${dirname(path)}, or choose another path`];
  return new TorchstackError("E_WRITE_FAILED", `cannot write ${path}: ${why}${code ? ` (${code})` : ""}`, {
    remedies,
    cause: error,
  });
}

// node:crypto is taken at the call, not imported: an ESM import of it also builds WebCrypto (a few ms at
// the start of every command whose module graph reaches this file, e.g. `job render`).
function randomSuffix(): string {
  return process.getBuiltinModule("node:crypto").randomBytes(4).toString("hex");
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * Writes `content` to `path` atomically. `mode` applies to a new file; an
 * existing file keeps its own permissions.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const target = assertWritableFile(path).path;
  let fileMode = mode;
  try {
    fileMode = statSync(target).mode & 0o7777;
  } catch {
    // a new file: the mode asked for
  }
  const temp = join(dirname(target), `.${basename(target)}.${randomSuffix()}.tmp`);
  try {
    const fd = openSync(temp, "wx", fileMode);
    try {
      writeAll(fd, typeof content === "string" ? Buffer.from(content) : Buffer.from(content));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw writeFailed(path, error);
  }
  syncFolder(dirname(target));
}

/** Makes the rename itself durable; a folder that cannot be opened or synced is not an error. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on a folder; the rename already happened
  }
}
