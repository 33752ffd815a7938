/**
 * Parses `nvidia-smi -L`: one line per GPU (`GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-…)`)
 * followed, under MIG, by indented lines `  MIG 1g.10gb     Device  0: (UUID: MIG-…)`.
 * Pure; unknown lines are ignored.
 */
import type { GpuListEntry } from "./gpu-sample.js";

const GPU_LINE = /^GPU (\d+): (.+?) \(UUID: (GPU-[^)]+)\)\s*$/;
const MIG_LINE = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: (MIG-[^)]+)\)\s*$/;

export function parseMigList(text: string): GpuListEntry[] {
  const gpus: GpuListEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const gpu = GPU_LINE.exec(line);
    if (gpu) {
      gpus.push({ index: Number(gpu[1]), name: gpu[2] ?? "", uuid: gpu[3] ?? "", migDevices: [] });
      continue;
    }
    const mig = MIG_LINE.exec(line);
    const parent = gpus.at(-1);
    if (mig && parent) {
      parent.migDevices.push({ profile: mig[1] ?? "", index: Number(mig[2]), uuid: mig[3] ?? "" });
    }
  }
  return gpus;
}
