/**
 * The environment a command means when the user names none: the one of the spec in
 * this folder (./torchstack.yaml, or -f FILE), as `up` names it. `down`, `urls` and
 * `logs` take it as their NAME; `verify`, `bench` and `doctor` run inside it when it
 * is running (the README's `torchstack up` then `torchstack verify`).
 */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { UsageError } from "../errors/torchstack-error.js";
import { loadProject } from "../project/load-project.js";
import { SPEC_FILE_NAME } from "../spec/load-spec.js";
import { environmentPositional } from "./args.js";
import type { CommandInput } from "./command.js";

/** The spec's environment name and file, or null when there is no spec here (a spec that fails to load throws). */
export async function specEnvironment(
  cwd: string,
  file?: string,
): Promise<{ name: string; specFile: string } | null> {
  if (file === undefined && !existsSync(resolve(cwd, SPEC_FILE_NAME))) return null;
  const { spec, specFile } = await loadProject({ cwd, file, lock: "none" });
  return { name: spec.name, specFile };
}

/** NAME from the first positional, else the spec's name (as `up`), else a usage error that says both ways. */
export async function environmentNameOrSpec(
  input: Pick<CommandInput, "positionals">,
  cwd: string,
  file?: string,
): Promise<string> {
  if (input.positionals[0] !== undefined) return environmentPositional(input, 0);
  const spec = await specEnvironment(cwd, file);
  if (spec) return spec.name;
  throw new UsageError(
    `missing argument NAME: there is no ${SPEC_FILE_NAME} in ${cwd} to take it from (list environments with torchstack ps)`,
  );
}

export interface ProbeTargetChoice {
  inEnv: string | undefined;
  /** Said on stderr when the environment was chosen for the user. */
  note?: string;
}

/**
 * Where a probe runs: `--in NAME` or `--python PATH` as given; else, when the spec here has a running
 * environment, inside it (and the note says so and how to check the host instead); else this host.
 * A spec that cannot be read leaves the probe on the host: the probe is not about the spec.
 */
export async function chooseProbeTarget(
  flags: { inEnv: string | undefined; python: string | undefined },
  cwd: string,
  isRunning: (name: string) => Promise<boolean>,
): Promise<ProbeTargetChoice> {
  if (flags.inEnv !== undefined || flags.python !== undefined) return { inEnv: flags.inEnv };
  const spec = await specEnvironment(cwd).catch(() => null);
  if (!spec || !(await isRunning(spec.name))) return { inEnv: undefined };
  return {
    inEnv: spec.name,
    note: `in environment ${spec.name}, which ${relative(cwd, spec.specFile) || SPEC_FILE_NAME} started and is running (--python python3 checks this host instead)`,
  };
}
