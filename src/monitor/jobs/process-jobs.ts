/**
 * Which torchstack job and rank a GPU process runs for, from its environment:
 * torchrun gives every rank `RANK` and `TORCHELASTIC_RUN_ID` (the rendezvous
 * id), Slurm gives every task `SLURM_JOB_ID`, and `TORCHSTACK_JOB_ID` names the
 * job outright. Those are the keys a job is matched on (its id or its
 * scheduler's id). nvidia-smi reports host PIDs, so `/proc/PID/environ` is read
 * from the host, once per PID (a process's environment does not change), and
 * forgotten when the PID is gone.
 */
import { readFile } from "node:fs/promises";

export type EnvironReader = (pid: number) => Promise<string | null>;

export const readProcEnviron: EnvironReader = async (pid) => {
  try {
    return await readFile(`/proc/${pid}/environ`, "latin1");
  } catch {
    return null;
  }
};

export interface ProcessJob {
  /** Ids the process names, strongest first: TORCHSTACK_JOB_ID, TORCHELASTIC_RUN_ID, SLURM_JOB_ID. */
  keys: string[];
  rank: number | null;
}

const JOB_KEYS = ["TORCHSTACK_JOB_ID", "TORCHELASTIC_RUN_ID", "SLURM_JOB_ID"] as const;

/** The job keys and rank named in a NUL-separated environment block, if any. */
export function jobFromEnviron(environ: string): ProcessJob | null {
  const vars = new Map<string, string>();
  for (const entry of environ.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  const keys = JOB_KEYS.map((k) => vars.get(k) ?? "").filter((v) => v !== "" && v !== "none");
  if (keys.length === 0) return null;
  const rank = Number(vars.get("RANK"));
  return { keys, rank: vars.has("RANK") && Number.isInteger(rank) ? rank : null };
}

/** The job a process runs for: the first of its keys that is a known job's id or scheduler id. */
export function matchJob(
  found: ProcessJob,
  jobs: readonly { id: string; schedulerId: string | null }[],
): string | null {
  for (const key of found.keys) {
    const job = jobs.find((j) => j.id === key || j.schedulerId === key);
    if (job) return job.id;
  }
  return null;
}

export class ProcessJobIndex {
  private readonly known = new Map<number, ProcessJob | null>();

  constructor(private readonly readEnviron: EnvironReader = readProcEnviron) {}

  /** Job and rank per PID for these processes; unknown PIDs are read once. */
  async lookup(pids: readonly number[]): Promise<Map<number, ProcessJob | null>> {
    const wanted = new Set(pids);
    for (const pid of this.known.keys()) if (!wanted.has(pid)) this.known.delete(pid);
    await Promise.all(
      [...wanted]
        .filter((pid) => !this.known.has(pid))
        .map(async (pid) => {
          const environ = await this.readEnviron(pid);
          this.known.set(pid, environ === null ? null : jobFromEnviron(environ));
        }),
    );
    return this.known;
  }
}
