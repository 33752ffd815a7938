/**
 * Which torchstack job and rank a GPU process runs for. torchrun gives every
 * rank `RANK` and `TORCHELASTIC_RUN_ID` (the rendezvous id, which torchstack
 * sets to the job id); `TORCHSTACK_JOB_ID` wins when present. nvidia-smi reports
 * host PIDs, so `/proc/PID/environ` is read from the host, once per PID (a
 * process's environment does not change), and forgotten when the PID is gone.
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
  job: string;
  rank: number | null;
}

/** The job and rank named in a NUL-separated environment block, if any. */
export function jobFromEnviron(environ: string): ProcessJob | null {
  const vars = new Map<string, string>();
  for (const entry of environ.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  const job = vars.get("TORCHSTACK_JOB_ID") || vars.get("TORCHELASTIC_RUN_ID");
  if (!job) return null;
  const rank = Number(vars.get("RANK"));
  return { job, rank: vars.has("RANK") && Number.isInteger(rank) ? rank : null };
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
