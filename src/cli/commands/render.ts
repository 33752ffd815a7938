/**
 * `torchstack render -o DIR`: write the build context (Dockerfile, constraints,
 * requirements, rootfs/) for the spec, or for the lock as written (--lock).
 */
import { resolve } from "node:path";
import { renderBuildContext, writeBuildContext } from "../../image/render-context.js";
import { type LockFile, lockPathFor, readLock } from "../../lock/lock-file.js";
import { findSpecFile } from "../../spec/load-spec.js";
import { lockSpec } from "../../workflows/lock-environment.js";
import { booleanFlag, requiredStringFlag, stringFlag } from "../args.js";
import { defineCommand } from "../command.js";
import { noHostOption, specFileOption } from "../common-options.js";

export const renderCommand = defineCommand({
  name: "render",
  summary: "write the image's build context (Dockerfile and friends) to a directory",
  usage: "render -o DIR [-f FILE] [--lock] [--no-syntax]",
  description:
    "Renders DIR/Dockerfile as an expert would write it (plain OS base, layers ordered for reuse, cache mounts, " +
    "non-root user, tini, pinned versions, constraints so torch cannot be replaced, OCI labels, healthcheck), plus " +
    "constraints.txt, requirements.txt and rootfs/. DIR is replaced as a whole, and only if torchstack wrote it.",
  options: {
    output: { type: "string", short: "o", valueName: "DIR", description: "directory to write (required)" },
    file: specFileOption,
    lock: { type: "boolean", description: "render from torchstack.lock as written, without resolving again" },
    "no-syntax": {
      type: "boolean",
      description: "leave out `# syntax=docker/dockerfile:1` (no Docker Hub fetch)",
    },
    "no-host": noHostOption,
  },
  examples: ["torchstack render -o ctx", "torchstack render -o ctx --lock --no-syntax --json"],
  async run(input, io) {
    const dir = requiredStringFlag(input, "output");
    const specFile = findSpecFile(io.cwd, stringFlag(input, "file"));
    let lock: LockFile;
    if (booleanFlag(input, "lock")) lock = readLock(lockPathFor(specFile));
    else {
      io.reporter.step(`resolving ${specFile}`);
      const locked = await lockSpec(specFile, { env: io.env, noHost: booleanFlag(input, "no-host") });
      for (const warning of locked.warnings) io.reporter.warn(warning);
      lock = locked.lock;
    }
    const context = renderBuildContext({ lock, syntax: !booleanFlag(input, "no-syntax") });
    const target = resolve(io.cwd, dir);
    const files = writeBuildContext(target, context);
    return {
      json: { ok: true, dir: target, files },
      text: [`wrote ${target}/`, ...files.map((f) => `  ${f}`)].join("\n"),
    };
  },
});
