/** `torchstack down NAME`: stops and removes the environment; the workspace stays, volumes go only with --volumes. */
import { connectEngine } from "../../engine/connect-engine.js";
import { downEnvironment } from "../../engine/run/down-environment.js";
import { booleanFlag, environmentPositional } from "../args.js";
import { defineCommand } from "../command.js";

export const downCommand = defineCommand({
  name: "down",
  summary: "stop and remove an environment",
  usage: "down NAME [--volumes]",
  description:
    "Stops and removes container torchstack-NAME and its record. The workspace folder is never touched.",
  options: { volumes: { type: "boolean", description: "also remove the container's volumes" } },
  positionals: [{ name: "NAME", description: "environment name", required: true }],
  examples: ["torchstack down cpu-example"],
  async run(input, io) {
    const name = environmentPositional(input, 0);
    const engine = await connectEngine(io.env, io.reporter);
    io.reporter.step(`stopping and removing torchstack-${name} (up to 5 s)`);
    const result = await downEnvironment(engine, io.env, name, { volumes: booleanFlag(input, "volumes") });
    return { json: { ok: true, ...result }, text: `removed ${result.container} (workspace left as it was)` };
  },
});
