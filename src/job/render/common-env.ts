/**
 * The environment every rank gets on every target, besides the user's `env`:
 * unbuffered Python so logs arrive as they are written, and the entrypoint told
 * to start no apps (a job container is not an interactive environment).
 */
import type { JobSpec } from "../job-types.js";

export function jobEnv(job: JobSpec): Record<string, string> {
  return { PYTHONUNBUFFERED: "1", TORCHSTACK_APPS: "none", ...job.env };
}
