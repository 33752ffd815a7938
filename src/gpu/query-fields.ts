/**
 * The `--query-gpu` field list as data. Each slot names the property it fills and
 * the field names nvidia-smi has used for it, newest first: drivers before R535
 * call `clocks_event_reasons.*` `clocks_throttle_reasons.*`, and drivers before
 * R450 have no `mig.mode.current`. When nvidia-smi rejects a field, the sampler
 * moves that slot to its next name, or drops it where the slot is optional.
 * Field names: https://docs.nvidia.com/deploy/nvidia-smi/index.html (nvidia-smi --help-query-gpu).
 */

export type GpuField =
  | "index"
  | "name"
  | "uuid"
  | "utilization"
  | "memoryUtilization"
  | "memoryUsedMiB"
  | "memoryTotalMiB"
  | "powerW"
  | "powerLimitW"
  | "temperatureC"
  | "smClockMHz"
  | "memClockMHz"
  | "pstate"
  | "throttleMask"
  | "migMode";

export interface FieldSlot {
  key: GpuField;
  /** Names nvidia-smi accepts for this value, newest first. */
  names: readonly string[];
  /** Optional slots are dropped when no name is accepted. */
  optional: boolean;
}

export const GPU_FIELD_SLOTS: readonly FieldSlot[] = [
  { key: "index", names: ["index"], optional: false },
  { key: "name", names: ["name"], optional: false },
  { key: "uuid", names: ["uuid"], optional: false },
  { key: "utilization", names: ["utilization.gpu"], optional: false },
  { key: "memoryUtilization", names: ["utilization.memory"], optional: true },
  { key: "memoryUsedMiB", names: ["memory.used"], optional: false },
  { key: "memoryTotalMiB", names: ["memory.total"], optional: false },
  { key: "powerW", names: ["power.draw", "power.draw.instant"], optional: true },
  { key: "powerLimitW", names: ["power.limit", "enforced.power.limit"], optional: true },
  { key: "temperatureC", names: ["temperature.gpu"], optional: true },
  { key: "smClockMHz", names: ["clocks.sm", "clocks.current.sm"], optional: true },
  { key: "memClockMHz", names: ["clocks.mem", "clocks.current.memory"], optional: true },
  { key: "pstate", names: ["pstate"], optional: true },
  {
    key: "throttleMask",
    names: ["clocks_event_reasons.active", "clocks_throttle_reasons.active"],
    optional: true,
  },
  { key: "migMode", names: ["mig.mode.current"], optional: true },
];

/** The slots in use and which of each slot's names is current. */
export interface FieldSet {
  slots: readonly { key: GpuField; name: string; slot: FieldSlot; choice: number }[];
}

export function initialFieldSet(slots: readonly FieldSlot[] = GPU_FIELD_SLOTS): FieldSet {
  return {
    slots: slots.flatMap((slot) => {
      const name = slot.names[0];
      return name === undefined ? [] : [{ key: slot.key, name, slot, choice: 0 }];
    }),
  };
}

/** The comma-joined `--query-gpu=` value. */
export function queryArgument(set: FieldSet): string {
  return set.slots.map((s) => s.name).join(",");
}

/**
 * The next field set after nvidia-smi rejected `field`: the slot's next name, or
 * the set without the slot where it is optional. Undefined when no fallback exists.
 */
export function fallbackFieldSet(set: FieldSet, field: string): FieldSet | undefined {
  const at = set.slots.findIndex((s) => s.name === field);
  const current = set.slots[at];
  if (!current) return undefined;
  const nextName = current.slot.names[current.choice + 1];
  if (nextName !== undefined) {
    const slots = [...set.slots];
    slots[at] = { ...current, name: nextName, choice: current.choice + 1 };
    return { slots };
  }
  if (!current.slot.optional) return undefined;
  return { slots: set.slots.filter((_, i) => i !== at) };
}

/** The rejected field in nvidia-smi's `Field "X" is not a valid field to query.` message. */
export function invalidFieldIn(output: string): string | undefined {
  return /Field "([^"]+)" is not a valid field to query/.exec(output)?.[1];
}

export const COMPUTE_APPS_FIELDS = ["pid", "gpu_uuid", "used_memory", "process_name"] as const;
