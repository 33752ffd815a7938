/**
 * Hints read from a snapshot and its history, in the words the issue asks for:
 * a GPU below 50% for 60 s while a process runs points at the input pipeline or
 * the batch size; a GPU under 5% for 60 s with no process is idle; memory near
 * full, thermal or power slowdowns and hot GPUs get their own line. Pure: the
 * same inputs give the same hints.
 */
import type { GpuReading, GpuSnapshot } from "../gpu/gpu-sample.js";
import { isSlowdownReason } from "../gpu/throttle-reasons.js";
import type { GpuHistory } from "./history.js";

export interface Hint {
  gpuIndex: number;
  severity: "info" | "warn";
  message: string;
}

export const LOW_UTILIZATION = { percent: 50, windowMs: 60_000 } as const;
export const IDLE_UTILIZATION = { percent: 5, windowMs: 60_000 } as const;

function hasProcess(gpu: GpuReading, snapshot: GpuSnapshot): boolean {
  const uuids = new Set([gpu.uuid, ...gpu.migDevices.map((m) => m.uuid)]);
  return snapshot.processes.some((p) => uuids.has(p.gpuUuid));
}

function lowForWindow(
  gpu: GpuReading,
  history: GpuHistory | undefined,
  now: number,
  limit: { percent: number; windowMs: number } = LOW_UTILIZATION,
): boolean {
  if (!history) return false;
  const { times, values } = history.series(gpu.uuid, "utilization", limit.windowMs, now);
  const known = values.filter((v): v is number => v !== null);
  const oldest = times[0];
  if (oldest === undefined || known.length === 0) return false;
  // the window must be (nearly) covered: allow one missing bucket at each end
  if (oldest > now - limit.windowMs + 2_000) return false;
  return known.every((v) => v < limit.percent);
}

export function computeHints(snapshot: GpuSnapshot, history?: GpuHistory, now = snapshot.time): Hint[] {
  const hints: Hint[] = [];
  for (const gpu of snapshot.gpus) {
    const i = gpu.index;
    if (hasProcess(gpu, snapshot) && lowForWindow(gpu, history, now)) {
      hints.push({
        gpuIndex: i,
        severity: "warn",
        message: `GPU ${i} below ${LOW_UTILIZATION.percent}% for ${LOW_UTILIZATION.windowMs / 1000} s while a process runs: input pipeline or batch size (more DataLoader workers, pin_memory, a larger batch)`,
      });
    }
    if (!hasProcess(gpu, snapshot) && lowForWindow(gpu, history, now, IDLE_UTILIZATION)) {
      hints.push({
        gpuIndex: i,
        severity: "info",
        message: `GPU ${i} idle: under ${IDLE_UTILIZATION.percent}% for ${IDLE_UTILIZATION.windowMs / 1000} s with no process on it`,
      });
    }
    if (gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB) {
      const share = gpu.memoryUsedMiB / gpu.memoryTotalMiB;
      if (share >= 0.95) {
        hints.push({
          gpuIndex: i,
          severity: "warn",
          message: `GPU ${i} memory ${Math.round(share * 100)}% full: close to out of memory (smaller batch, activation checkpointing, or PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True)`,
        });
      }
    }
    const slowdowns = gpu.throttleReasons.filter(isSlowdownReason);
    if (slowdowns.length > 0) {
      const thermal = slowdowns.some((r) => r.includes("thermal"));
      hints.push({
        gpuIndex: i,
        severity: thermal ? "warn" : "info",
        message: `GPU ${i} clocks lowered by ${slowdowns.join(", ")}: ${thermal ? "check cooling and airflow" : `running at its power limit${gpu.powerLimitW ? ` (${gpu.powerLimitW} W)` : ""}`}`,
      });
    }
    if (gpu.temperatureC !== null && gpu.temperatureC >= 85) {
      hints.push({
        gpuIndex: i,
        severity: "warn",
        message: `GPU ${i} at ${gpu.temperatureC} °C: check cooling`,
      });
    }
  }
  return hints;
}
