/**
 * Decodes `clocks_event_reasons.active` (formerly `clocks_throttle_reasons.active`),
 * a hex bitmask such as "0x0000000000000004", into reason names. Bits are NVML's
 * nvmlClocksEventReason* constants (nvml.h); names follow nvidia-smi's
 * `clocks_event_reasons.<name>` fields.
 */

export const THROTTLE_REASON_BITS: readonly { bit: number; name: string; slowdown: boolean }[] = [
  { bit: 0x1, name: "gpu_idle", slowdown: false },
  { bit: 0x2, name: "applications_clocks_setting", slowdown: false },
  { bit: 0x4, name: "sw_power_cap", slowdown: true },
  { bit: 0x8, name: "hw_slowdown", slowdown: true },
  { bit: 0x10, name: "sync_boost", slowdown: false },
  { bit: 0x20, name: "sw_thermal_slowdown", slowdown: true },
  { bit: 0x40, name: "hw_thermal_slowdown", slowdown: true },
  { bit: 0x80, name: "hw_power_brake_slowdown", slowdown: true },
  { bit: 0x100, name: "display_clock_setting", slowdown: false },
];

/** Reason names set in the mask; [] for null or unparseable input. */
export function decodeThrottleReasons(mask: string | null): string[] {
  if (mask === null) return [];
  const trimmed = mask.trim();
  if (!/^0x[0-9a-f]+$/i.test(trimmed)) return [];
  const value = BigInt(trimmed);
  return THROTTLE_REASON_BITS.filter((r) => (value & BigInt(r.bit)) !== 0n).map((r) => r.name);
}

/** True for reasons that lower clocks under load (power or thermal limits). */
export function isSlowdownReason(name: string): boolean {
  return THROTTLE_REASON_BITS.some((r) => r.name === name && r.slowdown);
}
