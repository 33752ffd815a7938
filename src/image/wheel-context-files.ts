/**
 * The build-context files of a lock with a wheel set: `wheels/<layer>.txt` (the
 * hash-pinned requirements of each layer), `torch-check/` (the self-check and what
 * it expects, from the lock) and the full-freeze constraints. Pure.
 */
import type { Inventory } from "../inventory/inventory-schema.js";
import type { LockFile } from "../lock/lock-schema.js";
import type { WheelSet } from "../lock/wheels/wheel-set-schema.js";
import selfCheckScript from "./assets/torch_self_check.py?raw";
import type { ContextFile } from "./build-context.js";
import { wheelRequirements, wheelsOf } from "./dockerfile-wheel-sections.js";

/** What the self-check compares torch against: the locked build, CUDA, cuDNN, NCCL and the targets' architectures. */
export function selfCheckExpectations(lock: LockFile, set: WheelSet) {
  const torch = set.wheels.find((w) => w.name === "torch");
  const targets = (lock.resolvedFor?.gpus ?? [])
    .map((g) => g.computeCapability)
    .filter((c): c is string => c !== null);
  return {
    torch: torch?.version ?? lock.stack.torch,
    variant: lock.stack.wheel,
    cuda: lock.stack.cuda,
    cudnn: lock.stack.cudnn,
    nccl: lock.stack.nccl,
    targets: [...new Set(targets)].sort(),
  };
}

/** Every locked wheel as `name==version`, then what the inventory adds (pip itself, the venv's own). */
export function wheelFreeze(set: WheelSet, inventory: Inventory | undefined): string {
  const pins = set.wheels.map((w) => `${w.name}==${w.version}`).sort();
  const named = new Set(set.wheels.map((w) => w.name));
  const extra = (inventory?.pip ?? [])
    .filter((p) => !named.has(p.name.toLowerCase().replace(/[-_.]+/g, "-")))
    .map((p) => `${p.name}==${p.version}`);
  const header = `# Full freeze: the ${pins.length} locked wheels; every pip or uv install in the image honours these (PIP_CONSTRAINT, UV_CONSTRAINT).`;
  return `${[header, ...pins, ...extra].join("\n")}\n`;
}

export function wheelContextFiles(lock: LockFile, set: WheelSet): ContextFile[] {
  const layers = (["installer", "torch", "apps", "pip"] as const).filter(
    (layer) => wheelsOf(set, layer).length > 0,
  );
  return [
    ...layers.map((layer) => ({
      path: `wheels/${layer}.txt`,
      content: wheelRequirements(set, layer),
      mode: 0o644,
    })),
    { path: "torch-check/torch_self_check.py", content: selfCheckScript, mode: 0o755 },
    {
      path: "torch-check/expect.json",
      content: `${JSON.stringify(selfCheckExpectations(lock, set), null, 2)}\n`,
      mode: 0o644,
    },
  ];
}
