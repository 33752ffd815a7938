/**
 * `torchstack render -o DIR`: write the build context (Dockerfile, constraints,
 * requirements, rootfs/) from torchstack.lock as written when there is one (it
 * says so), else from the spec resolved for its targets; never reads the host.
 */
import { resolve } from "node:path";
import { UsageError } from "../../errors/torchstack-error.js";
import { renderBuildContext, writeBuildContext } from "../../image/render-context.js";
import { findSpecFile } from "../../spec/load-spec.js";
import { lockForRender } from "../../workflows/lock-environment.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";

export const renderCommand = defineCommand({
  name: "render",
  summary: "write the image's build context (Dockerfile and friends) to a directory",
  usage: "render -o DIR [-f FILE] [--lock] [--syntax]",
  description:
    "Renders DIR/Dockerfile as an expert would write it (plain OS base, layers ordered for reuse, cache mounts, " +
    "non-root user, tini, pinned versions, constraints so torch cannot be replaced, OCI labels, healthcheck), plus " +
    "constraints.txt, requirements.txt and rootfs/. DIR is replaced as a whole, and only if torchstack wrote it. " +
    "Renders torchstack.lock as written when it exists (and says so); without one, the spec resolved for its " +
    "targets. The host is never read. Like `build`, the Dockerfile has no `# syntax=` line (the frontend built " +
    "into BuildKit reads it, so a hand-run `docker build` of DIR fetches nothing from Docker Hub); `--syntax` adds " +
    "`# syntax=docker/dockerfile:1` for builders that want the newest frontend.",
  options: {
    output: { type: "string", short: "o", valueName: "DIR", description: "directory to write (required)" },
    file: specFileOption,
    lock: {
      type: "boolean",
      description: "require torchstack.lock (E_NO_LOCK without one) and render it as written",
    },
    syntax: {
      type: "boolean",
      description:
        "start the Dockerfile with `# syntax=docker/dockerfile:1` (BuildKit then fetches that frontend)",
    },
    "no-syntax": {
      type: "boolean",
      description: "accepted for compatibility: no `# syntax=` line is the default",
    },
    "no-host": { type: "boolean", description: "accepted for compatibility: render never reads the host" },
  },
  examples: [
    "torchstack render -o ctx",
    "torchstack render -o ctx --lock --json",
    "torchstack render -o ctx --syntax",
  ],
  async run(input, io) {
    const dir = input.flags.output;
    if (dir === undefined) throw new UsageError("--output is required");
    const specFile = findSpecFile(io.cwd, input.flags.file);
    const chosen = await lockForRender(specFile, { env: io.env, requireLock: input.flags.lock });
    for (const note of chosen.notes) io.reporter.info(note);
    for (const warning of chosen.warnings) io.reporter.warn(warning);
    const context = renderBuildContext({ lock: chosen.lock, syntax: input.flags.syntax });
    const target = resolve(io.cwd, dir);
    const files = writeBuildContext(target, context);
    return {
      json: { ok: true, dir: target, files, from: chosen.from, lock: chosen.lockPath },
      text: [
        `wrote ${target}/ (from ${chosen.from === "lock" ? chosen.lockPath : specFile})`,
        ...files.map((f) => `  ${f}`),
      ].join("\n"),
    };
  },
});
