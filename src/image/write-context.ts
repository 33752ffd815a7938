/**
 * Writes a rendered build context to disk with nothing half-written: files go
 * to a temp sibling directory, which then replaces the target by rename. A
 * non-empty target that torchstack did not write (no marker) is refused. A
 * symlink to a folder is followed (the link stays); a failed write is E_WRITE_FAILED.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, normalize, resolve, sep } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";
import { outputTarget, writeFailed } from "../fs/atomic-write.js";
import { type BuildContext, CONTEXT_MARKER } from "./build-context.js";

function safeJoin(root: string, path: string): string {
  const full = normalize(join(root, path));
  if (!full.startsWith(root + sep)) throw new Error(`context path escapes its directory: ${path}`);
  return full;
}

export function writeBuildContext(dir: string, ctx: BuildContext): string[] {
  // a link to a folder is written through: the link stays a link
  const target = outputTarget(resolve(dir)).path;
  if (existsSync(target)) {
    if (!statSync(target).isDirectory())
      throw new TorchstackError("E_CONTEXT_DIR", `${dir} exists and is not a directory`, {
        remedies: [`choose another output: torchstack render -o ${dir}-ctx`],
      });
    const entries = readdirSync(target);
    if (entries.length > 0 && !entries.includes(CONTEXT_MARKER))
      throw new TorchstackError(
        "E_CONTEXT_DIR",
        `${dir} is not empty and was not written by torchstack; not replacing it`,
        {
          remedies: ["torchstack render -o NEW_DIR (an empty or new directory)"],
        },
      );
  }
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    mkdirSync(temp);
    for (const file of ctx.files) {
      const path = safeJoin(temp, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: file.mode });
      chmodSync(path, file.mode);
    }
    const old = existsSync(target) ? `${temp}.old` : null;
    if (old) renameSync(target, old);
    renameSync(temp, target);
    if (old) rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error instanceof Error &&
      "code" in error &&
      typeof error.code === "string" &&
      !(error instanceof TorchstackError)
      ? writeFailed(dir, error)
      : error;
  }
  return ctx.files.map((f) => f.path);
}
