/**
 * `torchstack build`: builds the image from the spec and its lock with
 * BuildKit, atomically: tags move only when the build succeeded.
 */

import { connectEngine } from "../../engine/connect-engine.js";
import { UsageError } from "../../errors/torchstack-error.js";
import { runProcess } from "../../process/run-process.js";
import { buildEnvironment } from "../../workflows/build-environment.js";
import { normalizeRegistry } from "../../workflows/push-image.js";
import { defineCommand } from "../command.js";
import { indexOptions, specFileOption } from "../common-options.js";

export const buildCommand = defineCommand({
  name: "build",
  summary: "build the image from the spec and lock",
  usage: "build [-f FILE] [--network host] [--push REGISTRY] [--no-cache]",
  description:
    "Builds with BuildKit (buildx when the client has it, else a classic client with DOCKER_BUILDKIT=1), step by " +
    "step on stderr. Writes torchstack.lock when there is none and refuses a stale one. Tags " +
    "NAME:torch<ver>-<wheel>-py<python>-<flavor> and NAME:lock-<digest> only when the build succeeded; a failed " +
    "or interrupted build leaves the previous tags and the lock as they were. The rendered Dockerfile has no " +
    "`# syntax=` line, so nothing is fetched from Docker Hub (the same as `render`'s default; `render --syntax` adds it).",
  options: {
    file: specFileOption,
    network: {
      type: "string",
      valueName: "MODE",
      description:
        "network for RUN steps: default, host or none (default: host when the engine has no bridge)",
    },
    push: {
      type: "string",
      valueName: "REGISTRY",
      description: "push both tags to REGISTRY and record the digest",
    },
    "no-cache": { type: "boolean", description: "build every step again" },
    ...indexOptions,
  },
  examples: [
    "torchstack build",
    "torchstack build -f examples/cpu/torchstack.yaml --network host",
    "torchstack build --json",
  ],
  async run(input, io) {
    const file = input.flags.file;
    const network = input.flags.network;
    const push = input.flags.push;
    // BuildKit knows only these modes for RUN steps; anything else fails after the build starts.
    if (network !== undefined && !["default", "host", "none"].includes(network))
      throw new UsageError(`--network must be default, host or none for a build, got "${network}"`);
    // A malformed --push fails now, not after a long build.
    if (push) normalizeRegistry(push);
    const engine = await connectEngine(io.env, io.reporter);
    const result = await buildEnvironment(
      {
        noCache: input.flags["no-cache"],
        ...(file ? { file } : {}),
        ...(network ? { network } : {}),
        ...(push ? { push } : {}),
        ...{
          pythonIndex: input.flags["python-index"],
          pytorchIndex: input.flags["pytorch-index"],
        },
      },
      { engine, run: runProcess, env: io.env, cwd: io.cwd, reporter: io.reporter, signal: io.signal },
    );
    const { cachedSteps: _cached, ...json } = result;
    return {
      json,
      text: `built ${result.image} in ${result.seconds} s\n${result.tags.map((t) => `  ${t}`).join("\n")}`,
    };
  },
});
