/**
 * The one way torchstack writes a file. Readers see the old content or the
 * new, never half of it: the content goes to a temp sibling, is fsynced and
 * renamed over the target. Only regular files are replaced: a folder,
 * device, FIFO or socket at the path is refused with E_OUTPUT_NOT_FILE before
 * anything is written, whatever --force says. A symlink is written through
 * (the link stays a link) only when it is trusted all the way: every link in
 * the chain belongs to the caller (or root) and sits in a folder that belongs
 * to the caller (or root) and that no one else can write (or is sticky).
 * Any other link, one another user could have planted, is replaced by the
 * new file instead of leading the write elsewhere. Secret files
 * (`writeSecretFileAtomic`) never follow a link and are always 0600, whatever
 * an old file's mode was. A write that fails (disk full, read-only, no
 * permission) removes its temp file and ends as E_WRITE_FAILED naming the
 * path and the reason.
 */
import {
  closeSync,
  fchmodSync,
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

/**
 * What sits at a path torchstack is asked to write. `link`: a symlink that is
 * not followed (see the header); the write replaces the link itself.
 */
export type OutputTarget =
  | { kind: "missing"; path: string }
  | { kind: "file"; path: string }
  | { kind: "link"; path: string }
  | { kind: "not-file"; path: string; what: string };

/** Which links a write follows: trusted ones (see the header) or none. */
export type FollowLinks = "trusted" | "never";

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

function callerUid(): number {
  return process.geteuid?.() ?? -1;
}

/** Owned by the caller or root, and writable by no one else unless sticky (others cannot swap its entries). */
function trustedFolder(dir: string): boolean {
  try {
    const stats = statSync(dir);
    const owner = stats.uid === callerUid() || stats.uid === 0;
    return owner && ((stats.mode & 0o022) === 0 || (stats.mode & 0o1000) !== 0);
  } catch {
    return false;
  }
}

/** A link the caller can follow: its own (or root's), in a folder no one else can change. */
function trustedLink(link: string, stats: Stats): boolean {
  return (stats.uid === callerUid() || stats.uid === 0) && trustedFolder(dirname(link));
}

/**
 * Follows trusted symlinks (dangling ones too) to the path that would really be written; stops at the first
 * link that is not trusted (or at any link when `follow` is "never"), which the write then replaces.
 */
export function outputTarget(path: string, follow: FollowLinks = "trusted"): OutputTarget {
  let current = resolve(path);
  for (let hop = 0; hop <= MAX_LINKS; hop += 1) {
    let stats: Stats;
    try {
      stats = lstatSync(current);
    } catch (error) {
      if (errnoOf(error) === "ENOENT") return { kind: "missing", path: current };
      throw writeFailed(path, error);
    }
    if (stats.isFile()) return { kind: "file", path: realpathOr(current) };
    if (!stats.isSymbolicLink())
      return { kind: "not-file", path: realpathOr(current), what: describe(stats) };
    if (follow === "never" || !trustedLink(current, stats)) return { kind: "link", path: current };
    // what the kernel reaches through it: /proc/self/fd/N leads to pipes and sockets readlink cannot name
    const reached = statOrNull(current);
    if (reached && !reached.isFile())
      return { kind: "not-file", path: realpathOr(current), what: describe(reached) };
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw writeFailed(path, Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" }));
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Refuses a path that is not (or does not lead to) a regular file; returns the real target. */
export function assertWritableFile(
  path: string,
  follow: FollowLinks = "trusted",
): OutputTarget & { kind: "missing" | "file" | "link" } {
  const target = outputTarget(path, follow);
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
  const fixes =
    code === "ENOSPC" || code === "EDQUOT"
      ? [`free space on the file system of ${dirname(path)} (df -h ${dirname(path)}) and run again`]
      : code === "ENOENT"
        ? [`create the folder first: mkdir -p ${dirname(path)}`]
        : [`write somewhere you can: check ls -ld ${dirname(path)}, or choose another path`];
  return new TorchstackError("E_WRITE_FAILED", `cannot write ${path}: ${why}${code ? ` (${code})` : ""}`, {
    remedies: fixes,
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
 * Writes `content` to `path` atomically. `mode` applies to a new file (and to one that replaces a link); an
 * existing file keeps its own permissions.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  writeAtomic(path, content, mode, "trusted");
}

/**
 * Writes a file that holds a secret (a token, a key): never through a link (a link at the path is replaced),
 * and 0600 whatever mode an old file had.
 */
export function writeSecretFileAtomic(path: string, content: string | Uint8Array): void {
  writeAtomic(path, content, 0o600, "never");
}

function writeAtomic(path: string, content: string | Uint8Array, mode: number, follow: FollowLinks): void {
  const resolved = assertWritableFile(path, follow);
  const target = resolved.path;
  let fileMode = mode;
  let exact = follow === "never"; // a secret is exactly 0600; a new plain file leaves the umask its say
  if (resolved.kind === "file" && follow === "trusted") {
    try {
      fileMode = statSync(target).mode & 0o7777;
      exact = true;
    } catch {
      // gone meanwhile: the mode asked for
    }
  }
  const temp = join(dirname(target), `.${basename(target)}.${randomSuffix()}.tmp`);
  try {
    const fd = openSync(temp, "wx", fileMode);
    try {
      if (exact) fchmodSync(fd, fileMode); // the umask took bits away from the old file's (or the secret's) mode
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
