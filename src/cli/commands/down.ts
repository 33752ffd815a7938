/**
 * `torchstack down [NAME]`: stops and removes the environment (default: the spec's here, as `up` names it);
 * the workspace stays, volumes go only with --volumes. Already down is success.
 */
import { connectEngine } from "../../engine/connect-engine.js";
import { downEnvironment } from "../../environments/down-environment.js";
import { defineCommand } from "../command.js";
import { environmentNameOrSpec } from "../spec-environment.js";

export const downCommand = defineCommand({
  name: "down",
  summary: "stop and remove an environment",
  usage: "down [NAME] [--volumes]",
  description:
    "Stops and removes container torchstack-NAME and its record (NAME defaults to the name in ./torchstack.yaml, " +
    "as for up). The workspace folder is never touched. An environment that is already down is not an error.",
  options: { volumes: { type: "boolean", description: "also remove the container's volumes" } },
  positionals: [{ name: "NAME", description: "environment name (default: the spec's name)" }],
  examples: ["torchstack down cpu-example", "torchstack down"],
  async run(input, io) {
    const name = await environmentNameOrSpec(input, io.cwd);
    const engine = await connectEngine(io.env, io.reporter);
    const result = await downEnvironment(engine, io.env, name, {
      volumes: input.flags.volumes,
      onStop: (container) => io.reporter.step(`stopping and removing ${container} (up to 5 s)`),
    });
    const text = result.removed
      ? `removed ${result.container} (workspace left as it was)`
      : `${name} is already down (no container ${result.container})`;
    return { json: { ok: true, ...result }, text };
  },
});
