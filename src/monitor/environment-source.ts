/**
 * Where the monitor gets torchstack environments: the engine's `listEnvironments`
 * ([] when no engine answers), and a process mapper built on it for one-shot reads
 * that only asks the engine when there are GPU processes to map.
 */
import { listEnvironments } from "../environments/list-environments.js";
import type { GpuProcess } from "../gpu/gpu-sample.js";
import type { EnvironmentLister } from "./monitor.js";
import { mapProcessesToEnvironments } from "./process-environments.js";

export const monitorEnvironmentLister: EnvironmentLister = async (env) => {
  try {
    return await listEnvironments(env);
  } catch {
    return [];
  }
};

export function listProcessEnvironments(env: NodeJS.ProcessEnv): (ps: GpuProcess[]) => Promise<GpuProcess[]> {
  return async (processes) => {
    if (processes.length === 0) return processes;
    return mapProcessesToEnvironments(processes, await monitorEnvironmentLister(env));
  };
}
