/**
 * How this engine gives containers GPUs: the NVIDIA runtime (`docker info`
 * lists an `nvidia` runtime; requests go as DeviceRequests, like `--gpus`), or
 * CDI (a spec in /etc/cdi or /var/run/cdi declaring `nvidia.com/gpu`; requests
 * go as CDI device names), or none. Pure apart from the injectable file reader.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineInfo } from "./engine-client.js";

export type GpuRuntime = { kind: "nvidia" } | { kind: "cdi"; specFiles: string[] } | { kind: "none" };

const CDI_SPEC_DIRS = ["/etc/cdi", "/var/run/cdi"];

export interface CdiReader {
  list(dir: string): string[];
  read(file: string): string;
}

const fsReader: CdiReader = {
  list: (dir) => {
    try {
      return readdirSync(dir).map((f) => join(dir, f));
    } catch {
      return [];
    }
  },
  read: (file) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  },
};

/** CDI spec files that declare NVIDIA GPUs (`kind: nvidia.com/gpu`). */
function nvidiaCdiSpecs(dirs: readonly string[], reader: CdiReader = fsReader): string[] {
  return dirs
    .flatMap((dir) => reader.list(dir))
    .filter((file) => /\.(ya?ml|json)$/.test(file) && reader.read(file).includes("nvidia.com/gpu"));
}

export function detectGpuRuntime(info: EngineInfo, reader: CdiReader = fsReader): GpuRuntime {
  if (!info.isPodman && info.runtimes.includes("nvidia")) return { kind: "nvidia" };
  const dirs = info.cdiSpecDirs.length > 0 ? info.cdiSpecDirs : CDI_SPEC_DIRS;
  const specFiles = nvidiaCdiSpecs(dirs, reader);
  if (specFiles.length > 0) return { kind: "cdi", specFiles };
  if (info.runtimes.includes("nvidia")) return { kind: "nvidia" };
  return { kind: "none" };
}
