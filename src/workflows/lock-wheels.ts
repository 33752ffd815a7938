/**
 * Adds the complete wheel set to a lock (`lock` always, unless `--offline`;
 * `build` when the lock has none): the indexes chosen by flag, environment and
 * spec, torch from PyPI or the PyTorch index, pip's resolution from metadata,
 * and the stack's CUDA, cuDNN and NCCL read back from the resolved wheels. The
 * previous lock's layers whose inputs are unchanged are kept (`upgrade` keeps none).
 */
import type { LockFile } from "../lock/lock-schema.js";
import { inputsOfLock } from "../lock/wheels/kept-layers.js";
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
  /** Resolve every layer afresh (`lock --upgrade`), keeping nothing of the previous lock. */
  upgrade?: boolean;
  onStage?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * A lock resolver for `lockSpec`/`loadEnvironmentImage`: the lock with its wheel set (distro locks unchanged),
 * keeping the unchanged layers of `previous` (the lock on disk) when it has a wheel set.
 */
export type WheelLocker = (lock: LockFile, spec: Spec, previous?: LockFile) => Promise<LockFile>;

export function wheelLocker(deps: LockWheelsDeps): WheelLocker {
  return async (lock, spec, previous) => {
    if (lock.torchSource !== "wheels") return lock;
    const indexes = choosePackageIndexes(spec, deps.flags ?? {}, deps.env);
    const source = torchWheelSource(lock.stack, lock.platform ?? "x86_64");
    const kept = !deps.upgrade && previous?.wheels ? previous.wheels : undefined;
    const set = await resolveWheelSet(
      {
        lock,
        indexes,
        torchFromPypi: source.pypi,
        ...(previous && kept ? { previous: { set: kept, inputs: inputsOfLock(previous, kept) } } : {}),
      },
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
