/**
 * Runs a command inside a running environment as its non-root user, in
 * /workspace, and returns its exit code and output: the contract the probe
 * engineer uses (`runInEnvironment`). Interactive use (`exec`) streams instead.
 */
import { connectEngine } from "../engine/connect-engine.js";
import { findRunningEnvironment, userExecContext } from "./find-environment.js";

export interface RunInEnvironmentOptions {
  argv: string[];
  stdin?: string;
  env?: Record<string, string>;
  env0: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function runInEnvironment(
  name: string,
  opts: RunInEnvironmentOptions,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const engine = await connectEngine(opts.env0);
  const container = await findRunningEnvironment(engine, name);
  const context = userExecContext(container);
  return engine.containers.exec(container.id, {
    cmd: [...context.wrap, ...opts.argv],
    user: context.user,
    workingDir: "/workspace",
    env: { ...context.env, ...opts.env },
    ...(opts.stdin === undefined ? {} : { stdin: opts.stdin }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
