/** `torchstack gc`: lists (or with --yes removes) exited or orphaned environments and left-over build images. */
import { connectEngine } from "../../engine/connect-engine.js";
import { findGarbage, removeGarbage } from "../../engine/run/gc.js";
import { booleanFlag } from "../args.js";
import { defineCommand } from "../command.js";

export const gcCommand = defineCommand({
  name: "gc",
  summary: "clean up orphaned environments and build leftovers",
  usage: "gc [--yes]",
  description:
    "Finds containers with torchstack labels that exited or have no environment record, and images left by " +
    "interrupted builds. Lists them; removes them only with --yes.",
  options: { yes: { type: "boolean", short: "y", description: "remove what was found" } },
  examples: ["torchstack gc", "torchstack gc --yes"],
  async run(input, io) {
    const engine = await connectEngine(io.env, io.reporter);
    const items = await findGarbage(engine, io.env);
    const remove = booleanFlag(input, "yes");
    if (remove && items.length > 0) {
      io.reporter.step(`removing ${items.length} container(s) and image(s)`);
      await removeGarbage(engine, items);
    }
    const verb = remove ? "removed" : "would remove";
    const lines = items.map((i) => `${verb} ${i.kind} ${i.name} (${i.reason})`);
    if (!remove && items.length > 0) lines.push("run torchstack gc --yes to remove them");
    return {
      json: { ok: true, removed: remove, items },
      text: lines.join("\n") || "nothing to clean up",
    };
  },
});
