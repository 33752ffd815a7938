/**
 * The seam to the engine for `--in NAME`: runs a command inside a torchstack
 * environment (as its non-root user) and returns its exit code and output.
 * The engine module is loaded lazily so that host-only probes never load it
 * (nor dockerode).
 */

export interface EnvRunOptions {
  argv: string[];
  stdin?: string;
  env?: Record<string, string>;
  env0: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export type EnvRunner = (
  name: string,
  options: EnvRunOptions,
) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

export async function loadEnvRunner(): Promise<EnvRunner> {
  const engine = await import("../engine/run-in-environment.js");
  return engine.runInEnvironment;
}
