/**
 * What the resolved wheels say about the stack: the CUDA runtime, cuDNN and NCCL
 * they bring (nvidia-cuda-runtime-cu12 12.8.90 → CUDA 12.8; nvidia-cudnn-cu12
 * 9.10.2.21; nvidia-nccl-cu12 2.27.5; CUDA 13's cuda-toolkit meta-package). A
 * difference from the catalog's row is an error naming both, so a lock never
 * claims a stack its wheels do not install. Pure.
 */
import { TorchstackError } from "../../errors/torchstack-error.js";
import type { LockFile } from "../lock-schema.js";
import type { LockedWheel } from "./wheel-set-schema.js";

export interface WheelFacts {
  cuda: string | null;
  cudnn: string | null;
  nccl: string | null;
  /** The wheel each fact was read from ("nvidia-cudnn-cu12 9.10.2.21"). */
  from: { cuda?: string; cudnn?: string; nccl?: string };
}

const find = (wheels: readonly LockedWheel[], pattern: RegExp) => wheels.find((w) => pattern.test(w.name));

export function wheelFacts(wheels: readonly LockedWheel[]): WheelFacts {
  const runtime = find(wheels, /^nvidia-cuda-runtime(-cu\d+)?$/) ?? find(wheels, /^cuda-toolkit$/);
  const cudnn = find(wheels, /^nvidia-cudnn-cu\d+$/);
  const nccl = find(wheels, /^nvidia-nccl-cu\d+$/);
  const label = (w: LockedWheel | undefined) => (w ? `${w.name} ${w.version}` : undefined);
  const from: WheelFacts["from"] = {};
  if (runtime) from.cuda = label(runtime);
  if (cudnn) from.cudnn = label(cudnn);
  if (nccl) from.nccl = label(nccl);
  return {
    cuda: runtime ? runtime.version.split(".").slice(0, 2).join(".") : null,
    cudnn: cudnn?.version ?? null,
    nccl: nccl?.version ?? null,
    from,
  };
}

/** "9.10.2" agrees with "9.10.2.21": the catalog may give fewer components than the wheel. */
function agrees(catalog: string, wheel: string): boolean {
  const a = catalog.split(".");
  const b = wheel.split(".");
  return a.every((part, i) => part === b[i]);
}

/**
 * The stack with the wheels' CUDA, cuDNN and NCCL filled in where the catalog had none;
 * E_WHEELS_MISMATCH when the catalog names a different one.
 */
export function stackFromWheels(lock: LockFile, wheels: readonly LockedWheel[]): LockFile["stack"] {
  const { stack } = lock;
  if (stack.cuda === null) return stack;
  const facts = wheelFacts(wheels);
  const out = { ...stack };
  const checks: ["cuda" | "cudnn" | "nccl", string][] = [
    ["cuda", "CUDA"],
    ["cudnn", "cuDNN"],
    ["nccl", "NCCL"],
  ];
  for (const [key, what] of checks) {
    const fromWheel = facts[key];
    if (fromWheel === null) continue;
    const fromCatalog = stack[key];
    if (fromCatalog === null) {
      out[key] = fromWheel;
      continue;
    }
    if (!agrees(fromCatalog, fromWheel))
      throw new TorchstackError(
        "E_WHEELS_MISMATCH",
        `torch ${stack.torch} (${stack.wheel}) resolves to ${facts.from[key]}, which is ${what} ${fromWheel}, but the catalog says ${what} ${fromCatalog}`,
        {
          remedies: [
            "torchstack catalog update (reads the wheel metadata the index publishes), then torchstack lock",
            `or pin another torch in torchstack.yaml (torch: …) whose ${what} the catalog knows`,
          ],
          details: { catalog: fromCatalog, wheels: fromWheel, wheel: facts.from[key] },
        },
      );
  }
  return out;
}
