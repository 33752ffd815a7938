/**
 * Whether a lock still matches its spec and the catalog: the spec re-resolved for
 * what the lock was resolved for (the spec's targets when it names them, else the
 * targets the lock records; never the host running the check, so the same lock
 * checks the same on a laptop, a CI runner and a GPU server), then compared pin by
 * pin. A difference is E_LOCK_STALE, listing each one.
 */
import { type Catalog, loadCatalog } from "../catalog/catalog.js";
import { checkLock } from "../lock/check-lock.js";
import type { LockFile } from "../lock/lock-schema.js";
import {
  hasTargets,
  type ResolvedFor,
  requestFromSpec,
  resolvedForSpec,
} from "../resolve/request-from-spec.js";
import type { ResolveResult } from "../resolve/resolve-request.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import type { Spec } from "../spec/schema.js";

export interface FreshnessOptions {
  env: NodeJS.ProcessEnv;
  /** Default: the built-in catalog with the state folder's overlay (`loadCatalog`). */
  catalog?: Catalog | undefined;
}

/** What the lock checked fresh against: the targets it was re-resolved for and the resolver's warnings. */
export interface Freshness {
  resolvedFor: ResolvedFor;
  warnings: string[];
}

/**
 * Re-resolve for what a lock was resolved for: the spec's targets when it names them
 * (a change there also changes the spec hash), else the targets the lock records.
 * Never reads the host.
 */
async function resolveForLock(
  spec: Spec,
  lock: LockFile,
  options: FreshnessOptions,
): Promise<{ result: ResolveResult; resolvedFor: ResolvedFor }> {
  const platform = spec.platform ?? lock.platform ?? "x86_64";
  const recorded = lock.resolvedFor;
  const resolvedFor =
    hasTargets(spec) || !recorded
      ? resolvedForSpec(spec, undefined, platform)
      : { ...recorded, platform: spec.platform ?? recorded.platform };
  const catalog = options.catalog ?? (await loadCatalog({ env: options.env }));
  return { result: resolveStack(requestFromSpec(spec, resolvedFor), catalog), resolvedFor };
}

/** Throws E_LOCK_STALE (every difference listed) unless the lock matches the spec and the catalog. */
export async function assertLockFresh(
  spec: Spec,
  lock: LockFile,
  options: FreshnessOptions,
): Promise<Freshness> {
  const { result, resolvedFor } = await resolveForLock(spec, lock, options);
  checkLock(lock, spec, result.stack, resolvedFor);
  return { resolvedFor, warnings: result.warnings };
}
