/**
 * /metrics in the Prometheus text exposition format (version 0.0.4). GPU gauges
 * use the DCGM exporter's names and labels where they fit (gpu, UUID, device,
 * modelName, Hostname), so dashboards built for dcgm-exporter keep working;
 * the rest are torchstack_*. Unknown values are left out, never written as 0.
 */
import type { GpuReading, GpuSnapshot } from "../../gpu/gpu-sample.js";
import { THROTTLE_REASON_BITS } from "../../gpu/throttle-reasons.js";

interface Family {
  name: string;
  help: string;
  value: (gpu: GpuReading) => number | null;
}

const GPU_FAMILIES: readonly Family[] = [
  { name: "DCGM_FI_DEV_GPU_UTIL", help: "GPU utilization (in %).", value: (g) => g.utilization },
  {
    name: "DCGM_FI_DEV_MEM_COPY_UTIL",
    help: "Memory utilization (in %).",
    value: (g) => g.memoryUtilization,
  },
  { name: "DCGM_FI_DEV_FB_USED", help: "Framebuffer memory used (in MiB).", value: (g) => g.memoryUsedMiB },
  {
    name: "DCGM_FI_DEV_FB_FREE",
    help: "Framebuffer memory free (in MiB).",
    value: (g) =>
      g.memoryTotalMiB === null || g.memoryUsedMiB === null ? null : g.memoryTotalMiB - g.memoryUsedMiB,
  },
  { name: "DCGM_FI_DEV_POWER_USAGE", help: "Power draw (in W).", value: (g) => g.powerW },
  { name: "DCGM_FI_DEV_GPU_TEMP", help: "GPU temperature (in C).", value: (g) => g.temperatureC },
  { name: "DCGM_FI_DEV_SM_CLOCK", help: "SM clock frequency (in MHz).", value: (g) => g.smClockMHz },
  { name: "DCGM_FI_DEV_MEM_CLOCK", help: "Memory clock frequency (in MHz).", value: (g) => g.memClockMHz },
  {
    name: "torchstack_gpu_memory_total_mib",
    help: "Framebuffer memory total (in MiB).",
    value: (g) => g.memoryTotalMiB,
  },
  {
    name: "torchstack_gpu_power_limit_watts",
    help: "Enforced power limit (in W).",
    value: (g) => g.powerLimitW,
  },
  {
    name: "torchstack_gpu_mig_enabled",
    help: "1 when MIG mode is enabled on the GPU.",
    value: (g) => (g.migMode === null ? null : g.migMode.toLowerCase() === "enabled" ? 1 : 0),
  },
];

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;
}

function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}

export function renderMetrics(snapshot: GpuSnapshot, hostname: string, hintCount = 0): string {
  const out: string[] = [];
  const gpuLabels = (g: GpuReading) =>
    labels({
      gpu: String(g.index),
      UUID: g.uuid,
      device: `nvidia${g.index}`,
      modelName: g.name,
      Hostname: hostname,
    });
  for (const family of GPU_FAMILIES) {
    const samples = snapshot.gpus.flatMap((g) => {
      const v = family.value(g);
      return v === null ? [] : [`${family.name}${gpuLabels(g)} ${num(v)}`];
    });
    if (samples.length === 0) continue;
    out.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`, ...samples);
  }
  const throttled = snapshot.gpus.flatMap((g) =>
    THROTTLE_REASON_BITS.map(
      (r) =>
        `torchstack_gpu_clocks_event_reason${labels({ gpu: String(g.index), UUID: g.uuid, Hostname: hostname, reason: r.name })} ${g.throttleReasons.includes(r.name) ? 1 : 0}`,
    ),
  );
  if (throttled.length > 0) {
    out.push(
      "# HELP torchstack_gpu_clocks_event_reason 1 when the clock event (throttle) reason is active.",
      "# TYPE torchstack_gpu_clocks_event_reason gauge",
      ...throttled,
    );
  }
  const processes = snapshot.processes.flatMap((p) =>
    p.usedMemoryMiB === null
      ? []
      : [
          `torchstack_gpu_process_memory_used_mib${labels({ pid: String(p.pid), UUID: p.gpuUuid, process: p.name, environment: p.environment ?? "", Hostname: hostname })} ${num(p.usedMemoryMiB)}`,
        ],
  );
  if (processes.length > 0) {
    out.push(
      "# HELP torchstack_gpu_process_memory_used_mib GPU memory used by a compute process (in MiB).",
      "# TYPE torchstack_gpu_process_memory_used_mib gauge",
      ...processes,
    );
  }
  const host = labels({ Hostname: hostname });
  out.push(
    "# HELP torchstack_nvidia_driver_available 1 when nvidia-smi could read the driver.",
    "# TYPE torchstack_nvidia_driver_available gauge",
    `torchstack_nvidia_driver_available${host} ${snapshot.message ? 0 : 1}`,
    "# HELP torchstack_gpus Number of GPUs sampled.",
    "# TYPE torchstack_gpus gauge",
    `torchstack_gpus${host} ${snapshot.gpus.length}`,
    "# HELP torchstack_hints Number of active hints (low utilisation, memory, slowdowns).",
    "# TYPE torchstack_hints gauge",
    `torchstack_hints${host} ${hintCount}`,
    "# HELP torchstack_sample_timestamp_seconds Time of the latest sample.",
    "# TYPE torchstack_sample_timestamp_seconds gauge",
    `torchstack_sample_timestamp_seconds${host} ${num(snapshot.time / 1000)}`,
  );
  return `${out.join("\n")}\n`;
}
