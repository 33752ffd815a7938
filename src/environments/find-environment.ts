/**
 * Finds an environment's container by name: `torchstack-NAME` carrying the
 * dev.torchstack.managed label. A missing one is an EngineError that says how
 * to list environments or start this one, and names the environment the user
 * most likely meant when the name looks like a typo of one.
 */

import type { ContainerDetails, Engine } from "../engine/engine-client.js";
import { nearest } from "../errors/edit-distance.js";
import { EngineError } from "../errors/torchstack-error.js";
import { ENV_LABEL, MANAGED_LABEL } from "./ownership.js";

/** The environment names on this engine (every owner's), for "did you mean". */
export async function environmentNames(engine: Engine): Promise<string[]> {
  const items = await engine.containers.list({ labels: { [MANAGED_LABEL]: "true" }, all: true });
  return items.map((item) => item.labels[ENV_LABEL] ?? item.name.replace(/^torchstack-/, ""));
}

/** The known environment NAME is most likely a typo of, if any. */
export function meantEnvironment(name: string, known: readonly string[]): string | undefined {
  return nearest(
    name,
    known.filter((k) => k !== name),
  );
}

/** E_NO_ENVIRONMENT for NAME: "did you mean" a near name on the engine, else how to list or start it. */
export function noEnvironmentError(name: string, known: readonly string[], why = ""): EngineError {
  const meant = meantEnvironment(name, known);
  if (meant)
    return new EngineError("E_NO_ENVIRONMENT", `no environment named ${name}${why}; did you mean ${meant}?`, {
      remedies: [`use ${meant} in place of ${name}`, "torchstack ps (lists environments)"],
    });
  return new EngineError("E_NO_ENVIRONMENT", `no environment named ${name}${why}`, {
    remedies: ["torchstack ps (lists environments)", `torchstack up ${name}`],
  });
}

export async function findEnvironment(engine: Engine, name: string): Promise<ContainerDetails> {
  const container = await engine.containers.inspect(`torchstack-${name}`);
  if (container?.labels[MANAGED_LABEL] === "true") return container;
  throw noEnvironmentError(name, await environmentNames(engine).catch(() => []));
}

/** As findEnvironment, and an EngineError E_NOT_RUNNING (fix: `torchstack up NAME`) when it is stopped. */
export async function findRunningEnvironment(engine: Engine, name: string): Promise<ContainerDetails> {
  const container = await findEnvironment(engine, name);
  if (container.running) return container;
  throw new EngineError("E_NOT_RUNNING", `environment ${name} is ${container.state}`, {
    remedies: [`torchstack up ${name}`],
  });
}

export interface UserExecContext {
  user: string;
  env: Record<string, string>;
  /** Put before the command: the image's exec wrapper, which runs the entrypoint's own home set-up. */
  wrap: string[];
}

/**
 * The user exec runs as, and how its processes get the entrypoint's environment: images that carry
 * `dev.torchstack.exec` (the wrapper's path) run the command through it, so HOME and the caches come
 * from the one home set-up the entrypoint uses; older images get the same values as variables.
 */
export function userExecContext(container: ContainerDetails): UserExecContext {
  const userLabel = /^([a-z_][a-z0-9_-]*):/.exec(container.labels["dev.torchstack.user"] ?? "");
  const name = userLabel?.[1] ?? "dev";
  const wrapper = container.labels["dev.torchstack.exec"];
  if (wrapper?.startsWith("/")) return { user: name, env: {}, wrap: [wrapper] };
  const home = `/home/${name}`;
  return {
    user: name,
    wrap: [],
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
