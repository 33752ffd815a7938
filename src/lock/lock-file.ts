/**
 * torchstack.lock on disk: deterministic text (schema key order, 2-space JSON,
 * trailing newline) so diffs are clean, atomic writes, schema-checked reads,
 * and a short digest of the canonical text for image tags.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SpecError, TorchstackError } from "../errors/torchstack-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { sha256Hex } from "./canonical-json.js";
import { type LockFile, lockSchema } from "./lock-schema.js";
import { lockStringProblem } from "./lock-strings.js";

export type { LockFile } from "./lock-schema.js";

/** The lock beside a spec: torchstack.yaml → torchstack.lock, gpu.yaml → gpu.lock. */
export function lockPathFor(specFile: string): string {
  const name = basename(specFile).replace(/\.ya?ml$/i, "");
  return join(dirname(specFile), `${name || "torchstack"}.lock`);
}

/** The lock's canonical text; parsing through the schema fixes the key order. */
export function serializeLock(lock: LockFile): string {
  return `${JSON.stringify(lockSchema.parse(lock), null, 2)}\n`;
}

/**
 * First 12 hex digits of sha256 of the lock's canonical text: a tag suffix that changes when any pin
 * changes. Pushed references (`images`) record where the image went and the inventory what a build of
 * it installed, so neither changes it.
 */
export function lockDigest(lock: LockFile): string {
  const { images: _pushed, inventory: _inventory, ...built } = lock;
  return sha256Hex(serializeLock(built)).slice(0, 12);
}

export function writeLock(path: string, lock: LockFile): void {
  writeFileAtomic(path, serializeLock(lock));
}

/**
 * A spec without its lock, said one way by every command: E_NO_LOCK, fixed by `torchstack lock`
 * (`torchstack build` also writes one when there is none). `specFile` names the spec in the fixes.
 */
export function noLockError(lockPath: string, specFile?: string): TorchstackError {
  const file = specFile === undefined ? "" : ` -f ${specFile}`;
  return new TorchstackError("E_NO_LOCK", `no lock file at ${lockPath}: the spec has not been locked yet`, {
    remedies: [
      `torchstack lock${file} (writes it from the spec)`,
      `torchstack build${file} (writes the lock when there is none, then builds the image)`,
    ],
  });
}

export function readLock(path: string): LockFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw noLockError(path);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SpecError(
      "E_LOCK_INVALID",
      `not valid JSON: ${(error as Error).message}`,
      { file: path },
      {
        remedies: ["torchstack lock (rewrites it)"],
      },
    );
  }
  const strings = lockStringProblem(data);
  if (strings) {
    throw new SpecError(
      "E_LOCK_INVALID",
      `${strings.key} ${strings.message}`,
      { file: path, key: strings.key },
      {
        remedies: [
          "torchstack lock (rewrites it from torchstack.yaml); a lock you did not write yourself may be hostile: check its history",
        ],
      },
    );
  }
  const parsed = lockSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map(String).join(".") || undefined;
    throw new SpecError(
      "E_LOCK_INVALID",
      `${issue?.message ?? "does not match the lock format"}`,
      { file: path, key },
      {
        remedies: ["torchstack lock (rewrites it; do not edit the lock by hand)"],
      },
    );
  }
  return parsed.data;
}
