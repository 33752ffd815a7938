/**
 * An environment as `ps`, the dashboard and `top` see it: one container that
 * torchstack started, found by its labels (dev.torchstack.managed=true).
 */
export interface EnvironmentSummary {
  /** The environment name (label dev.torchstack.env). */
  name: string;
  containerId: string;
  containerName: string;
  image: string;
  /** "running", "exited", … as the engine reports it. */
  state: string;
  /** ISO time the container started, or null. */
  startedAt: string | null;
  /** GPUs requested: "all", "2", "0,1", "GPU-…", or "none". */
  gpus: string;
  /** Host ports by app name: { jupyter: 8888, ssh: 2222 }. */
  ports: Record<string, number>;
  /** Ready-to-use URLs by app (jupyter URL includes the token). */
  urls: Record<string, string>;
  ssh: string | null;
  workspace: string | null;
  /** Whether this user's state folder started it (containers from before owner labels count as yours). */
  mine?: boolean;
  /** "you", or whose it is: "another torchstack state folder (owner …, user root:0)". */
  owner?: string;
}
