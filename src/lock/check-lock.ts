/**
 * `torchstack lock --check`: rebuild the lock in memory from the current spec
 * and the stack re-resolved for the targets the lock records (never for the host
 * running the check), compare it with the one on disk field by field, and fail
 * with E_LOCK_STALE listing each difference: the spec changed, or a catalog fact
 * the stack rests on did. The base digest is not compared (it is only known when
 * a registry was reachable), only checked to be a digest; a changed base reference is.
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import type { ResolvedFor } from "../resolve/request-from-spec.js";
import type { ResolvedStack } from "../resolve/stack.js";
import type { Spec } from "../spec/schema.js";
import { baseImageRef } from "../spec/spec-base.js";
import { buildLock } from "./build-lock.js";
import type { LockFile } from "./lock-schema.js";
import { digestSchema } from "./lock-strings.js";
import { stackFromWheels } from "./wheels/wheel-stack-facts.js";

function show(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "requirement" in v))
    return `[${value.map((v) => String((v as { requirement: unknown }).requirement)).join(", ")}]`;
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

/** Differences between two JSON trees as "path: old → new" lines; pin lists compare as a whole. */
function diffTrees(old: unknown, now: unknown, path = ""): string[] {
  if (JSON.stringify(old) === JSON.stringify(now)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(old) && isObject(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])];
    return keys.flatMap((key) => diffTrees(old[key], now[key], path ? `${path}.${key}` : key));
  }
  return [`${path}: ${show(old)} → ${show(now)}`];
}

function lockDifferences(
  lock: LockFile,
  spec: Spec,
  stack: ResolvedStack,
  resolvedFor: ResolvedFor | undefined,
): string[] {
  // The lock's digest is carried over (known only when a registry answered), so its form is checked here.
  const digestIsValid = lock.base.digest === null || digestSchema.safeParse(lock.base.digest).success;
  const baseImage = { ref: baseImageRef(spec), digest: digestIsValid ? lock.base.digest : null };
  const fresh = buildLock({ spec, specFile: "", stack, baseImage, ...(resolvedFor ? { resolvedFor } : {}) });
  // Pushed references (`images`) record where the image went, and the inventory what its build
  // installed (drift against an image is checked separately), not what it is built from.
  // The wheel set is resolved from the indexes, not the catalog: its CUDA/cuDNN/NCCL fill the fresh stack too.
  const { images: _pushed, inventory: _inventory, wheels, ...built } = lock;
  if (wheels) fresh.stack = stackFromWheels(fresh, wheels.wheels);
  // A lock written before targets were recorded has no `resolvedFor` or `platform` (x86_64): not a change.
  const { resolvedFor: _recorded, platform: _platform, ...withoutTargets } = fresh;
  const legacy = lock.resolvedFor === undefined && lock.platform === undefined && fresh.platform === "x86_64";
  const lines = diffTrees(built, legacy ? withoutTargets : fresh).filter(
    (line) => !line.startsWith("specHash:"),
  );
  if (lock.specHash !== fresh.specHash && lines.length === 0)
    lines.push("the spec changed (specHash differs) without changing any pin");
  else if (lock.specHash !== fresh.specHash) lines.unshift("the spec changed since the lock was written");
  return lines;
}

/** Throws E_LOCK_STALE listing every difference; returns quietly when the lock is up to date. */
export function checkLock(lock: LockFile, spec: Spec, stack: ResolvedStack, resolvedFor?: ResolvedFor): void {
  const differences = lockDifferences(lock, spec, stack, resolvedFor);
  if (differences.length === 0) return;
  throw new TorchstackError(
    "E_LOCK_STALE",
    `torchstack.lock does not match the spec (${differences.length} difference${differences.length === 1 ? "" : "s"}):\n${differences.map((d) => `  - ${d}`).join("\n")}`,
    {
      remedies: ["torchstack lock (rewrites the lock from the spec), then commit it"],
      details: { differences },
    },
  );
}
