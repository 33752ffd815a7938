/**
 * The shapes the sampler produces: one reading per GPU per tick, MIG devices from
 * `nvidia-smi -L`, compute processes from `--query-compute-apps`, and the snapshot
 * that `top`, the dashboard and /metrics all read. Missing values are null, never 0.
 */

export interface MigDevice {
  /** Position under its parent GPU, as `-L` numbers it ("Device  0"). */
  index: number;
  /** Profile such as "1g.10gb". */
  profile: string;
  uuid: string;
}

export interface GpuListEntry {
  index: number;
  name: string;
  uuid: string;
  migDevices: MigDevice[];
}

export interface GpuReading {
  index: number;
  name: string;
  uuid: string;
  /** Percent of time a kernel was running (not SM occupancy). */
  utilization: number | null;
  memoryUtilization: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  powerW: number | null;
  powerLimitW: number | null;
  temperatureC: number | null;
  smClockMHz: number | null;
  memClockMHz: number | null;
  pstate: string | null;
  /** Decoded names of the active clock-event (throttle) reasons. */
  throttleReasons: string[];
  /** "Enabled", "Disabled", or null where MIG is not supported. */
  migMode: string | null;
  migDevices: MigDevice[];
}

export interface GpuProcess {
  pid: number;
  gpuUuid: string;
  usedMemoryMiB: number | null;
  name: string;
  /** The torchstack environment whose container holds the process, else null. */
  environment: string | null;
}

export const NO_DRIVER_MESSAGE = "no NVIDIA driver found on this host";

export interface GpuSnapshot {
  /** Milliseconds since the epoch when the tick was read. */
  time: number;
  gpus: GpuReading[];
  processes: GpuProcess[];
  /** Set when there is nothing to show, e.g. NO_DRIVER_MESSAGE. */
  message?: string;
}
