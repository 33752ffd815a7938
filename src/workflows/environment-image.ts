/**
 * From a spec file to the image an environment runs: loads the spec, reads its
 * lock (or, for `build`, writes one when missing), refuses a stale lock, and
 * names the tags: one that says what is inside and one derived from the lock,
 * which `up` looks for.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { lockTag, stackTag } from "../engine/build/image-tags.js";
import { EngineError } from "../errors/torchstack-error.js";
import { checkLock } from "../lock/check-lock.js";
import { type LockFile, lockDigest, readLock, writeLock } from "../lock/lock-file.js";
import type { Reporter } from "../report/reporter.js";
import { findSpecFile } from "../spec/load-spec.js";
import type { Spec } from "../spec/schema.js";
import { lockSpec } from "./lock-environment.js";

export interface EnvironmentImage {
  specFile: string;
  spec: Spec;
  lockPath: string;
  lock: LockFile;
  /** `NAME:torch1.13.1-cpu-py3.11-runtime` and `NAME:lock-<digest>`. */
  tags: { stack: string; lock: string };
  lockCreated: boolean;
}

export async function loadEnvironmentImage(
  cwd: string,
  explicitFile: string | undefined,
  options: { createLock: boolean; reporter: Reporter; env: NodeJS.ProcessEnv },
): Promise<EnvironmentImage> {
  const specFile = resolve(cwd, findSpecFile(cwd, explicitFile));
  const locked = await lockSpec(specFile, { env: options.env });
  const lockCreated = !existsSync(locked.lockPath);
  if (lockCreated && !options.createLock) {
    throw new EngineError(
      "E_NO_IMAGE",
      `${locked.lockPath} does not exist, so there is no image for this spec yet`,
      {
        remedies: [`torchstack build -f ${specFile} (writes the lock and builds the image)`],
      },
    );
  }
  let lock: LockFile;
  if (lockCreated) {
    lock = locked.lock;
    writeLock(locked.lockPath, lock);
    options.reporter.info(
      `wrote ${locked.lockPath} (there was no lock; commit it to make builds repeatable)`,
    );
  } else {
    lock = readLock(locked.lockPath);
    checkLock(lock, locked.spec, locked.stack);
  }
  return {
    specFile,
    spec: locked.spec,
    lockPath: locked.lockPath,
    lock,
    tags: { stack: stackTag(lock.name, lock.stack, lock.flavor), lock: lockTag(lock.name, lockDigest(lock)) },
    lockCreated,
  };
}
