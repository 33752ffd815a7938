/**
 * PyTorch wants `memlock=-1` and a 64 MB stack; some hosts (containers in
 * containers, sandboxes without CAP_SYS_RESOURCE) cannot raise limits, and
 * runc then refuses to start the container ("error setting rlimit"). This
 * recognises that refusal and caps the limits at what this host allows
 * (`/proc/self/limits` hard values), so `up` still works and says so.
 */
import { readFileSync } from "node:fs";
import type { ContainerSpec } from "../../engine/engine-client.js";

export function isRlimitRefusal(error: unknown): boolean {
  return error instanceof Error && /error setting rlimit/i.test(error.message);
}

const LIMIT_ROWS: Record<string, string> = { memlock: "Max locked memory", stack: "Max stack size" };

/** Hard limits by ulimit name from /proc/self/limits text; undefined = unlimited. */
export function hardLimits(text: string): Record<string, number | undefined> {
  const limits: Record<string, number | undefined> = {};
  for (const [name, row] of Object.entries(LIMIT_ROWS)) {
    const line = text.split("\n").find((l) => l.startsWith(row));
    const hard = line?.slice(row.length).trim().split(/\s+/)[1];
    limits[name] = hard === undefined || hard === "unlimited" ? undefined : Number(hard);
  }
  return limits;
}

export function capUlimits(
  ulimits: ContainerSpec["ulimits"],
  hard: Record<string, number | undefined>,
): ContainerSpec["ulimits"] {
  return ulimits.map((u) => {
    const cap = hard[u.name];
    if (cap === undefined) return u;
    const clamp = (v: number) => (v < 0 || v > cap ? cap : v);
    return { name: u.name, soft: clamp(u.soft), hard: clamp(u.hard) };
  });
}

export function readHardLimits(): Record<string, number | undefined> {
  try {
    return hardLimits(readFileSync("/proc/self/limits", "utf8"));
  } catch {
    return {};
  }
}
