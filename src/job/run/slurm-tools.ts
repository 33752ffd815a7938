/**
 * Where the Slurm client programs are: `$TORCHSTACK_SLURM_BIN/NAME` when set
 * (a login-node wrapper folder, like the test cluster's), else NAME on PATH.
 */
import { join } from "node:path";

export type SlurmTool = "sbatch" | "squeue" | "scontrol" | "scancel";

export function slurmTool(env: NodeJS.ProcessEnv, tool: SlurmTool): string {
  return env.TORCHSTACK_SLURM_BIN ? join(env.TORCHSTACK_SLURM_BIN, tool) : tool;
}
