/**
 * What the host tells us about its NVIDIA driver and GPUs, read without
 * spawning when possible (/sys/module/nvidia/version, /proc/driver/nvidia/version),
 * else from nvidia-smi. Used by resolve, init and doctor.
 */
export interface HostGpu {
  index: number;
  name: string;
  /** "9.0" when the driver reports it (nvidia-smi compute_cap), else null. */
  computeCapability: string | null;
  uuid: string | null;
}

export interface HostFacts {
  /** "570.86.15", or null when no NVIDIA driver is loaded. */
  driver: string | null;
  /** Where the driver version was read: "/sys/module/nvidia/version", "/proc/driver/nvidia/version", "nvidia-smi" or "none". */
  driverSource: string;
  gpus: HostGpu[];
}
