/** `torchstack gc`: lists (or with --yes removes) this owner's exited or orphaned environments and build leftovers. */

import { pruneBuildCache } from "../../engine/build/build-cache.js";
import { connectEngine } from "../../engine/connect-engine.js";
import { findGarbage, removeGarbage } from "../../environments/gc.js";
import { runProcess } from "../../process/run-process.js";
import { defineCommand } from "../command.js";

export const gcCommand = defineCommand({
  name: "gc",
  summary: "clean up this owner's orphaned environments and build leftovers",
  usage: "gc [--running] [--build-cache] [--yes] [--json]",
  description:
    "Finds the containers this state folder's torchstack made (owner labels) that exited or have no environment " +
    "record, and its images left by interrupted builds. Other users', other state folders' and plain `docker run` " +
    "containers are never listed. A running container is listed only with --running. Lists them " +
    '(--json: {"ok","removed","items":[{"kind","id","name","reason"}],"keptRunning":[…]}); removes them only with --yes. ' +
    "--build-cache also clears the engine's BuildKit cache mounts: torchstack's shared wheel and apt caches, and " +
    "those of any other BuildKit build on this engine, which the engine does not tell apart (kept while a build " +
    "uses them); with --yes it says how much it freed.",
  options: {
    "build-cache": {
      type: "boolean",
      description:
        "also clear the engine's BuildKit cache mounts (torchstack's wheel and apt caches, and other builds'); with --yes, says how much it freed",
    },
    yes: { type: "boolean", short: "y", description: "remove what was found" },
    running: {
      type: "boolean",
      description: "also list (and with --yes remove) running containers without a record",
    },
  },
  examples: [
    "torchstack gc",
    "torchstack gc --json",
    "torchstack gc --yes",
    "torchstack gc --running --yes",
    "torchstack gc --build-cache --yes",
  ],
  async run(input, io) {
    const engine = await connectEngine(io.env, io.reporter);
    const { items, keptRunning } = await findGarbage(engine, io.env, { running: input.flags.running });
    const remove = input.flags.yes;
    if (remove && items.length > 0) {
      io.reporter.step(`removing ${items.length} container(s) and image(s)`);
      await removeGarbage(engine, items);
    }
    const clearCache = input.flags["build-cache"];
    const buildCache =
      clearCache && remove
        ? await pruneBuildCache(runProcess, { ...io.env, DOCKER_HOST: engine.endpoint.host })
        : undefined;
    const verb = remove ? "removed" : "would remove";
    const lines = items.map((i) => `${verb} ${i.kind} ${i.name} (${i.reason})`);
    for (const k of keptRunning)
      lines.push(`kept running container ${k.name} (${k.reason}; --running to include it)`);
    if (!remove && items.length > 0) lines.push("run torchstack gc --yes to remove them");
    if (buildCache) lines.push(`cleared the build cache: freed ${buildCache.freed}`);
    else if (clearCache)
      lines.push("would clear the build cache (wheel and apt caches): torchstack gc --build-cache --yes");
    return {
      json: { ok: true, removed: remove, items, keptRunning, ...(buildCache ? { buildCache } : {}) },
      text: lines.join("\n") || "nothing to clean up",
    };
  },
});
