/**
 * Parses `nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory,process_name
 * --format=csv,noheader,nounits`. The process name is last, so commas inside it
 * are kept. "No running processes found" and unfit lines yield nothing.
 */
import type { GpuProcess } from "./gpu-sample.js";
import { cellNumber, cellText } from "./parse-gpu-csv.js";

export function parseComputeApps(text: string): GpuProcess[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const cells = line.split(",");
    if (cells.length < 4) return [];
    const pid = cellNumber(cells[0]);
    const gpuUuid = cellText(cells[1]);
    if (pid === null || gpuUuid === null || !/^(GPU|MIG)-/.test(gpuUuid)) return [];
    return [
      {
        pid,
        gpuUuid,
        usedMemoryMiB: cellNumber(cells[2]),
        name: cells.slice(3).join(",").trim(),
        environment: null,
      },
    ];
  });
}
