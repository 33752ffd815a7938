/**
 * The seam to the engine for `--in NAME`: runs a command inside a torchstack
 * environment (as its non-root user) and returns its exit code and output.
 * The engine module is loaded lazily so that host-only probes never load it
 * (nor dockerode); the type is the engine's own runInEnvironment signature.
 */
import type { runInEnvironment } from "../environments/run-in-environment.js";

export type EnvRunner = typeof runInEnvironment;

export async function loadEnvRunner(): Promise<EnvRunner> {
  const engine = await import("../environments/run-in-environment.js");
  return engine.runInEnvironment;
}
