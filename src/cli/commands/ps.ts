/** `torchstack ps`: environments torchstack started, found by label: image, state, uptime, GPUs, ports. */
import { connectEngine } from "../../engine/connect-engine.js";
import { listEnvironmentsWith } from "../../engine/list-environments.js";
import { formatEnvironmentTable } from "../../engine/run/format-environments.js";
import { defineCommand } from "../command.js";

export const psCommand = defineCommand({
  name: "ps",
  summary: "list environments",
  usage: "ps",
  description: "Lists the containers torchstack started (label dev.torchstack.managed=true), running or not.",
  options: {},
  examples: ["torchstack ps", "torchstack ps --json"],
  async run(_input, io) {
    const engine = await connectEngine(io.env, io.reporter);
    const environments = await listEnvironmentsWith(engine, io.env);
    return { json: environments, text: formatEnvironmentTable(environments, new Date()) };
  },
});
