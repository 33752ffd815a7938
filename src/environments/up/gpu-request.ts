/**
 * Turns what the user asked for (`--gpus all | N | 0,1 | GPU-uuid | MIG-uuid |
 * none`, or the spec's run.gpus) into the engine's request: DeviceRequests for
 * the NVIDIA runtime (`Count: -1`, a count, or DeviceIDs) or CDI device names
 * (`nvidia.com/gpu=all|0|GPU-…`). Pure.
 */

import type { GpuRequest } from "../../engine/engine-client.js";
import type { GpuRuntime } from "../../engine/gpu-runtime.js";
import { UsageError } from "../../errors/torchstack-error.js";

export type GpuSelection =
  | { kind: "none" }
  | { kind: "all" }
  | { kind: "count"; count: number }
  | { kind: "devices"; ids: string[] };

const DEVICE_ID = /^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-fA-F-]+|MIG-GPU-[0-9a-fA-F-]+\/\d+\/\d+)$/;

export function parseGpuSelection(value: string | number | readonly (string | number)[]): GpuSelection {
  if (Array.isArray(value)) return parseGpuSelection(value.map(String).join(","));
  const text = String(value)
    .trim()
    .replace(/^device=/, "")
    .replace(/^"|"$/g, "");
  if (text === "" || text === "none") return { kind: "none" };
  if (text === "all") return { kind: "all" };
  if (/^\d+$/.test(text)) return text === "0" ? { kind: "none" } : { kind: "count", count: Number(text) };
  const ids = text.split(",").map((s) => s.trim());
  const bad = ids.find((id) => !DEVICE_ID.test(id));
  if (bad !== undefined) {
    throw new UsageError(
      `--gpus: "${bad}" is not all, none, a count, GPU indices (0,1), a GPU-… UUID or a MIG-… UUID`,
    );
  }
  return { kind: "devices", ids };
}

/** `"all"`, `"2"`, `"0,1"`, `"none"`: how ps shows it. */
export function describeGpus(selection: GpuSelection): string {
  if (selection.kind === "count") return String(selection.count);
  if (selection.kind === "devices") return selection.ids.join(",");
  return selection.kind;
}

export function gpuRequestFor(selection: GpuSelection, runtime: GpuRuntime): GpuRequest {
  if (selection.kind === "none") return { kind: "none" };
  if (runtime.kind === "cdi") {
    const devices =
      selection.kind === "all"
        ? ["all"]
        : selection.kind === "count"
          ? Array.from({ length: selection.count }, (_, i) => String(i))
          : selection.ids;
    return { kind: "cdi", devices: devices.map((d) => `nvidia.com/gpu=${d}`) };
  }
  if (selection.kind === "all") return { kind: "nvidia", count: -1 };
  if (selection.kind === "count") return { kind: "nvidia", count: selection.count };
  return { kind: "nvidia", deviceIds: selection.ids };
}
