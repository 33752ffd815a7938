/**
 * The JSON shape of one sample, shared by `top --once --json` and the dashboard's
 * /api/snapshot: GPUs with the contract's fields first, processes, and a message
 * instead of data where there is no driver.
 */
import type { GpuSnapshot } from "../gpu/gpu-sample.js";

/** One GPU's fields in the order of the contract, shared by the snapshot and the dashboard's live ticks. */
export function gpuJson(g: GpuSnapshot["gpus"][number]) {
  return {
    index: g.index,
    name: g.name,
    uuid: g.uuid,
    utilization: g.utilization,
    memoryUsedMiB: g.memoryUsedMiB,
    memoryTotalMiB: g.memoryTotalMiB,
    powerW: g.powerW,
    powerLimitW: g.powerLimitW,
    temperatureC: g.temperatureC,
    memoryUtilization: g.memoryUtilization,
    smClockMHz: g.smClockMHz,
    memClockMHz: g.memClockMHz,
    pstate: g.pstate,
    throttleReasons: g.throttleReasons,
    migMode: g.migMode,
    migDevices: g.migDevices,
  };
}

export function snapshotJson(snapshot: GpuSnapshot): Record<string, unknown> {
  const gpus = snapshot.gpus.map(gpuJson);
  const processes = snapshot.processes.map((p) => ({
    pid: p.pid,
    gpuUuid: p.gpuUuid,
    usedMemoryMiB: p.usedMemoryMiB,
    name: p.name,
    environment: p.environment,
  }));
  return snapshot.message === undefined
    ? { gpus, processes }
    : { gpus, processes, message: snapshot.message };
}
