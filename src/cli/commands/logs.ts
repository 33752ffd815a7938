/**
 * `torchstack logs [NAME] [-f]`: the environment's output (entrypoint banner, apps), optionally followed;
 * NAME defaults to the spec's here, as for `up`.
 */
import { connectEngine } from "../../engine/connect-engine.js";
import { findEnvironment } from "../../environments/find-environment.js";
import { wholeNumberValue } from "../args.js";
import { defineCommand } from "../command.js";
import { environmentNameOrSpec } from "../spec-environment.js";

export const logsCommand = defineCommand({
  name: "logs",
  summary: "show an environment's logs",
  usage: "logs [NAME] [-f] [--tail N]",
  options: {
    follow: { type: "boolean", short: "f", description: "keep following new output (Ctrl-C stops)" },
    tail: { type: "string", valueName: "N", description: "only the last N lines" },
  },
  positionals: [{ name: "NAME", description: "environment name (default: the spec's name)" }],
  examples: ["torchstack logs cpu-example", "torchstack logs cpu-example -f"],
  async run(input, io) {
    const name = await environmentNameOrSpec(input, io.cwd);
    const tail = wholeNumberValue(input.flags.tail, "--tail", { min: 0 });
    const engine = await connectEngine(io.env, io.reporter);
    const container = await findEnvironment(engine, name);
    const stream = await engine.containers.logs(container.id, {
      follow: input.flags.follow,
      ...(tail === undefined ? {} : { tail }),
    });
    io.signal.addEventListener("abort", () => stream.destroy(), { once: true });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) {
        if (io.json) chunks.push(Buffer.from(chunk));
        else io.stdout.write(chunk);
      }
    } catch (error) {
      // Ctrl-C ends `logs -f` by destroying the stream: that is the normal way out, not a failure.
      if (!io.signal.aborted) throw error;
    }
    return { json: { ok: true, name, logs: Buffer.concat(chunks).toString("utf8") } };
  },
});
