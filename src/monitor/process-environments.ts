/**
 * Maps GPU processes to torchstack environments: a process belongs to an
 * environment when `/proc/PID/cgroup` names that environment's container id
 * (cgroup v1 `/docker/<id>` and v2 `docker-<id>.scope` both contain it).
 * nvidia-smi reports host PIDs, so this works from the host; inside a container
 * without `--pid=host` the PIDs are not visible and stay unmapped.
 */
import { readFile } from "node:fs/promises";
import type { EnvironmentSummary } from "../environments/environment.js";
import type { GpuProcess } from "../gpu/gpu-sample.js";

export type CgroupReader = (pid: number) => Promise<string | null>;

export const readProcCgroup: CgroupReader = async (pid) => {
  try {
    return await readFile(`/proc/${pid}/cgroup`, "utf8");
  } catch {
    return null;
  }
};

export async function mapProcessesToEnvironments(
  processes: readonly GpuProcess[],
  environments: readonly Pick<EnvironmentSummary, "name" | "containerId">[],
  readCgroup: CgroupReader = readProcCgroup,
): Promise<GpuProcess[]> {
  const withIds = environments.filter((e) => e.containerId.length >= 12);
  if (withIds.length === 0) return processes.map((p) => ({ ...p, environment: null }));
  return Promise.all(
    processes.map(async (p) => {
      const cgroup = await readCgroup(p.pid);
      const match = cgroup ? withIds.find((e) => cgroup.includes(e.containerId)) : undefined;
      return { ...p, environment: match?.name ?? null };
    }),
  );
}
