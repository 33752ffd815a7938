/**
 * Adds the complete wheel set to a lock (`lock` always, unless `--offline`;
 * `build` when the lock has none): the indexes chosen by flag, environment and
 * spec, torch from PyPI or the PyTorch index, pip's resolution from metadata,
 * and the stack's CUDA, cuDNN and NCCL read back from the resolved wheels.
 */
import type { LockFile } from "../lock/lock-schema.js";
import { choosePackageIndexes, type IndexFlags } from "../lock/wheels/package-indexes.js";
import { resolveWheelSet } from "../lock/wheels/resolve-wheel-set.js";
import { torchWheelSource } from "../lock/wheels/torch-wheel-source.js";
import { stackFromWheels } from "../lock/wheels/wheel-stack-facts.js";
import type { ProcessRunner } from "../process/run-process.js";
import type { Spec } from "../spec/schema.js";

export interface LockWheelsDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  flags?: IndexFlags;
  onStage?: (message: string) => void;
  signal?: AbortSignal;
}

/** A lock resolver for `lockSpec`/`loadEnvironmentImage`: the lock with its wheel set (distro locks unchanged). */
export type WheelLocker = (lock: LockFile, spec: Spec) => Promise<LockFile>;

export function wheelLocker(deps: LockWheelsDeps): WheelLocker {
  return async (lock, spec) => {
    if (lock.torchSource !== "wheels") return lock;
    const indexes = choosePackageIndexes(spec, deps.flags ?? {}, deps.env);
    const source = torchWheelSource(lock.stack, lock.platform ?? "x86_64");
    const set = await resolveWheelSet(
      { lock, indexes, torchFromPypi: source.pypi },
      {
        run: deps.run,
        env: deps.env,
        ...(deps.onStage ? { onStage: deps.onStage } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    return { ...lock, stack: stackFromWheels(lock, set.wheels), wheels: set };
  };
}
