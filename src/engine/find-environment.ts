/**
 * Finds an environment's container by name: `torchstack-NAME` carrying the
 * dev.torchstack.managed label. A missing one is an EngineError that says how
 * to list environments or start this one.
 */
import { EngineError } from "../errors/torchstack-error.js";
import type { ContainerDetails, Engine } from "./engine-client.js";

export async function findEnvironment(engine: Engine, name: string): Promise<ContainerDetails> {
  const container = await engine.containers.inspect(`torchstack-${name}`);
  if (container?.labels["dev.torchstack.managed"] === "true") return container;
  throw new EngineError("E_NO_ENVIRONMENT", `no environment named ${name}`, {
    remedies: ["torchstack ps (lists environments)", `torchstack up ${name}`],
  });
}

/** As findEnvironment, and an EngineError E_NOT_RUNNING (fix: `torchstack up NAME`) when it is stopped. */
export async function findRunningEnvironment(engine: Engine, name: string): Promise<ContainerDetails> {
  const container = await findEnvironment(engine, name);
  if (container.running) return container;
  throw new EngineError("E_NOT_RUNNING", `environment ${name} is ${container.state}`, {
    remedies: [`torchstack up ${name}`],
  });
}

/** The user exec runs as, and the environment its processes see (HOME and caches as the entrypoint sets them). */
export function userExecContext(container: ContainerDetails): { user: string; env: Record<string, string> } {
  const userLabel = /^([a-z_][a-z0-9_-]*):/.exec(container.labels["dev.torchstack.user"] ?? "");
  const name = userLabel?.[1] ?? "dev";
  const home = `/home/${name}`;
  return {
    user: name,
    env: {
      HOME: home,
      USER: name,
      LOGNAME: name,
      XDG_CACHE_HOME: `${home}/.cache`,
      TORCH_HOME: `${home}/.cache/torch`,
      HF_HOME: `${home}/.cache/huggingface`,
      PIP_CACHE_DIR: `${home}/.cache/pip`,
      MPLCONFIGDIR: `${home}/.config/matplotlib`,
    },
  };
}
