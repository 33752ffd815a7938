/**
 * The terminal view of `torchstack top`, as a pure function of a snapshot: one
 * block per GPU (name, utilisation and memory bars, power, temperature, clocks,
 * P-state, throttle reasons, a utilisation sparkline from history), MIG devices,
 * processes with their environment, and hints. Width-aware; colour only when asked.
 */
import type { GpuReading, GpuSnapshot } from "../gpu/gpu-sample.js";
import type { Hint } from "./hints.js";
import type { GpuHistory } from "./history.js";
import {
  ANSI_PAINT,
  bar,
  levelPaint,
  NO_PAINT,
  type Paint,
  padEnd,
  sparkline,
  truncate,
} from "./text-graphics.js";

export interface TopView {
  snapshot: GpuSnapshot;
  hints: readonly Hint[];
  width: number;
  color: boolean;
  history?: GpuHistory;
  /** Catalog line for a GPU name (compute capability, peaks), when known. */
  describeGpu?: (name: string) => string | undefined;
  /** One line per GPU (gpustat style), for short terminals. */
  compact?: boolean;
}

const fmt = (v: number | null, digits = 0, unit = "") => (v === null ? "n/a" : `${v.toFixed(digits)}${unit}`);
const gib = (mib: number | null) => (mib === null ? "n/a" : (mib / 1024).toFixed(1));

function gpuBlock(gpu: GpuReading, view: TopView, paint: Paint): string[] {
  const width = Math.max(40, view.width);
  const barWidth = Math.max(10, Math.min(40, width - 42));
  const memPercent =
    gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB ? (gpu.memoryUsedMiB / gpu.memoryTotalMiB) * 100 : null;
  const power =
    gpu.powerW === null
      ? "n/a"
      : `${gpu.powerW.toFixed(0)}${gpu.powerLimitW ? `/${gpu.powerLimitW.toFixed(0)}` : ""} W`;
  const head = `${paint.bold(`GPU ${gpu.index}`)}  ${gpu.name}`;
  const right = `${gpu.pstate ?? "P?"}  ${fmt(gpu.temperatureC, 0, "°C")}  ${power}`;
  const lines = [`${padEnd(head, width - right.length - 1)} ${right}`];
  const info = view.describeGpu?.(gpu.name);
  if (info) lines.push(`  ${paint.dim(info)}`);
  const utilPaint = levelPaint(paint, gpu.utilization);
  let spark = "";
  if (view.history) {
    const sparkWidth = Math.max(0, Math.min(60, width - barWidth - 20));
    const series = view.history.series(gpu.uuid, "utilization", sparkWidth * 1000, view.snapshot.time);
    spark = sparkWidth > 0 ? `  ${paint.dim(sparkline(series.values.slice(-sparkWidth), 100))}` : "";
  }
  lines.push(
    `  util ${utilPaint(bar(gpu.utilization, barWidth))} ${fmt(gpu.utilization, 0, "%").padStart(4)}${spark}`,
  );
  lines.push(
    `  mem  ${levelPaint(paint, memPercent)(bar(memPercent, barWidth))} ${gib(gpu.memoryUsedMiB)}/${gib(gpu.memoryTotalMiB)} GiB${memPercent === null ? "" : ` (${memPercent.toFixed(0)}%)`}`,
  );
  const details = [
    `SM ${fmt(gpu.smClockMHz, 0, " MHz")}`,
    `MEM ${fmt(gpu.memClockMHz, 0, " MHz")}`,
    `throttle ${gpu.throttleReasons.length ? gpu.throttleReasons.join(",") : "none"}`,
  ];
  if (gpu.migMode) details.push(`MIG ${gpu.migMode}`);
  lines.push(`  ${details.join("  ")}`);
  for (const mig of gpu.migDevices)
    lines.push(`  ${paint.dim(`└ MIG ${mig.profile} device ${mig.index}  ${mig.uuid}`)}`);
  return lines;
}

function compactLine(gpu: GpuReading, view: TopView, paint: Paint): string {
  const memPercent =
    gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB ? (gpu.memoryUsedMiB / gpu.memoryTotalMiB) * 100 : null;
  const power = gpu.powerW === null ? "n/a" : `${gpu.powerW.toFixed(0)}/${fmt(gpu.powerLimitW)} W`;
  const slow = gpu.throttleReasons.filter((r) => r !== "gpu_idle");
  let spark = "";
  if (view.history) {
    const series = view.history.series(gpu.uuid, "utilization", 20_000, view.snapshot.time);
    spark = ` ${paint.dim(sparkline(series.values.slice(-20), 100))}`;
  }
  return (
    [
      `${paint.bold(`[${gpu.index}]`)} ${gpu.name}`,
      `${fmt(gpu.temperatureC, 0, "°C")} ${gpu.pstate ?? "P?"}`,
      `util ${levelPaint(paint, gpu.utilization)(bar(gpu.utilization, 10))} ${fmt(gpu.utilization, 0, "%").padStart(4)}`,
      `mem ${levelPaint(paint, memPercent)(bar(memPercent, 10))} ${gib(gpu.memoryUsedMiB)}/${gib(gpu.memoryTotalMiB)} GiB`,
      power,
      ...(gpu.migDevices.length ? [`MIG×${gpu.migDevices.length}`] : []),
      ...(slow.length ? [paint.yellow(slow.join(","))] : []),
    ].join(" | ") + spark
  );
}

function processLines(view: TopView, paint: Paint): string[] {
  const { snapshot } = view;
  if (snapshot.processes.length === 0) return [paint.bold("Processes"), "  no GPU processes"];
  const gpuFor = (uuid: string) => {
    const gpu = snapshot.gpus.find((g) => g.uuid === uuid || g.migDevices.some((m) => m.uuid === uuid));
    if (!gpu) return "?";
    const mig = gpu.migDevices.find((m) => m.uuid === uuid);
    return mig ? `${gpu.index}/${mig.index}` : String(gpu.index);
  };
  const rows = snapshot.processes.map((p) => [
    String(p.pid),
    gpuFor(p.gpuUuid),
    p.usedMemoryMiB === null ? "n/a" : `${p.usedMemoryMiB} MiB`,
    p.environment ?? "-",
    p.name,
  ]);
  const header = ["PID", "GPU", "MEMORY", "ENV", "COMMAND"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i] ?? 0))).join("  ")}`;
  return [paint.bold("Processes"), paint.dim(line(header)), ...rows.map(line)];
}

export function renderTop(view: TopView): string {
  const paint = view.color ? ANSI_PAINT : NO_PAINT;
  const { snapshot } = view;
  const time = new Date(snapshot.time).toISOString().replace("T", " ").slice(0, 19);
  if (snapshot.message) {
    return `${paint.bold("torchstack top")}  ${time} UTC\n\n${snapshot.message}\n  nvidia-smi is not on PATH or cannot talk to the driver; install the NVIDIA driver, or set TORCHSTACK_NVIDIA_SMI to the nvidia-smi to use.\n`;
  }
  const lines = [
    `${paint.bold("torchstack top")}  ${snapshot.gpus.length} GPU${snapshot.gpus.length === 1 ? "" : "s"}  ${time} UTC`,
    "",
  ];
  if (view.compact) lines.push(...snapshot.gpus.map((gpu) => compactLine(gpu, view, paint)), "");
  else for (const gpu of snapshot.gpus) lines.push(...gpuBlock(gpu, view, paint), "");
  lines.push(...processLines(view, paint));
  if (view.hints.length > 0) {
    lines.push("", paint.bold("Hints"));
    for (const hint of view.hints) {
      lines.push(`  ${hint.severity === "warn" ? paint.yellow("!") : paint.dim("i")} ${hint.message}`);
    }
  }
  return `${lines.map((l) => truncate(l, view.width).trimEnd()).join("\n")}\n`;
}
