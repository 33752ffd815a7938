/**
 * The path from a spec file to a lock, shared by `lock`, `render` and `build`:
 * load the spec, read the host when the spec needs it (CUDA wheels), resolve
 * the stack as `torchstack resolve` does, and build the lock. Keeps the digest
 * of a previous lock for the same base (digests are only learnt online).
 */
import { existsSync } from "node:fs";
import type { DigestLookup } from "../engine/registry/registry-digest.js";
import { detectHostFacts } from "../host/detect-host.js";
import type { HostFacts } from "../host/host-facts.js";
import { buildLock } from "../lock/build-lock.js";
import { lockDigest, lockPathFor, readLock } from "../lock/lock-file.js";
import type { LockFile } from "../lock/lock-schema.js";
import { requestFromSpec } from "../resolve/request-from-spec.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import type { ResolvedStack } from "../resolve/stack.js";
import { loadSpec } from "../spec/load-spec.js";
import type { Spec } from "../spec/schema.js";
import { baseImageRef } from "../spec/spec-base.js";

export interface LockedSpec {
  specFile: string;
  spec: Spec;
  stack: ResolvedStack;
  warnings: string[];
  /** What happened to the base image's digest (looked up, kept, or why not). */
  notes: string[];
  lock: LockFile;
  lockPath: string;
  /** The lock already on disk, when there is one and it reads cleanly (so `lock --check` reads it once). */
  previous?: LockFile;
}

export interface LockSpecOptions {
  env: NodeJS.ProcessEnv;
  /** Do not read the host's driver and GPUs (resolve for any host). */
  noHost?: boolean;
  /** Injected host facts (tests); default: detectHostFacts(env) when the spec needs them. */
  host?: HostFacts;
  /** Ask the registry for the base image's digest when no earlier lock has one (`torchstack lock`). */
  lookupBaseDigest?: (ref: string) => Promise<DigestLookup>;
}

/** CUDA wheels depend on the host's driver and GPUs; CPU and distro torch do not. */
export function needsHost(spec: Spec): boolean {
  return spec.torchSource !== "distro" && spec.cuda !== "cpu";
}

export async function resolveSpec(spec: Spec, options: LockSpecOptions) {
  const host =
    options.host ?? (!options.noHost && needsHost(spec) ? await detectHostFacts(options.env) : undefined);
  return resolveStack(requestFromSpec(spec, host));
}

export async function lockSpec(specFile: string, options: LockSpecOptions): Promise<LockedSpec> {
  const { spec } = await loadSpec(specFile);
  const result = await resolveSpec(spec, options);
  const lockPath = lockPathFor(specFile);
  const ref = baseImageRef(spec);
  let digest: string | null = null;
  let previous: LockFile | undefined;
  if (existsSync(lockPath)) {
    try {
      previous = readLock(lockPath);
      if (previous.base.ref === ref) digest = previous.base.digest;
    } catch {
      // an unreadable old lock is simply replaced
    }
  }
  const notes: string[] = [];
  if (digest === null && options.lookupBaseDigest) {
    const found = await options.lookupBaseDigest(ref);
    digest = found.digest;
    notes.push(
      found.digest
        ? `base image ${ref} pinned to ${found.digest}`
        : `base image ${ref} not pinned to a digest: ${found.reason} (run \`torchstack lock\` again when it is reachable)`,
    );
  }
  const built = buildLock({ spec, specFile, stack: result.stack, baseImage: { ref, digest } });
  // Pushed references stay while they still describe the same image (same lock digest).
  const keepPushed = previous?.images && lockDigest(previous) === lockDigest(built);
  const lock = keepPushed ? { ...built, images: previous?.images } : built;
  return { specFile, spec, stack: result.stack, warnings: result.warnings, notes, lock, lockPath, previous };
}
