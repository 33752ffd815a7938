/**
 * `torchstack ps`: the environments this state folder started, found by label: image, state, uptime,
 * GPUs, ports. `--all` adds other users' and other state folders' environments, with their owner.
 */
import { connectEngine } from "../../engine/connect-engine.js";
import { formatEnvironmentTable } from "../../environments/format-environments.js";
import { listEnvironmentsWith } from "../../environments/list-environments.js";
import { defineCommand } from "../command.js";

export const psCommand = defineCommand({
  name: "ps",
  summary: "list environments",
  usage: "ps [--all] [--json]",
  description:
    "Lists the containers torchstack started from this state folder (label dev.torchstack.managed=true and this " +
    "folder's owner label), running or not. --all also lists other users' and other state folders' environments, " +
    'with an OWNER column. With --json: {"ok":true,"environments":[{name,state,…,mine,owner}],"hidden":N}.',
  options: {
    all: {
      type: "boolean",
      short: "a",
      description: "also list other users' and state folders' environments",
    },
  },
  examples: ["torchstack ps", "torchstack ps --all", "torchstack ps --json"],
  async run(input, io) {
    const all = input.flags.all;
    const engine = await connectEngine(io.env, io.reporter);
    const everyone = await listEnvironmentsWith(engine, io.env);
    const environments = all ? everyone : everyone.filter((e) => e.mine !== false);
    const hidden = everyone.length - environments.length;
    return {
      json: { ok: true, environments, hidden },
      text: formatEnvironmentTable(environments, new Date(), { owners: all, hidden }),
    };
  },
});
