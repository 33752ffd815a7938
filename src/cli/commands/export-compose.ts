/** `torchstack export compose [-o FILE]`: a compose.yaml that runs the built environment. */
import { exportEnvironment } from "../../workflows/export-environment.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";
import { connectEngineLazily, exportText } from "./export-text.js";

export const exportComposeCommand = defineCommand({
  name: "export compose",
  summary: "write a compose.yaml that runs the built environment",
  usage: "export compose [-f FILE] [-o FILE] [--workspace DIR]",
  description:
    "One service with the image the lock names, the user, network (host on engines without a bridge) or " +
    "loopback-only ports, shm_size, ulimits, GPU device reservations, the workspace volume, the environment and " +
    "the healthcheck, as `torchstack up` applies them. The app token goes to torchstack.env beside it (mode " +
    "0600). Details: docs/exports.md.",
  options: {
    file: specFileOption,
    output: {
      type: "string",
      short: "o",
      valueName: "FILE",
      description: "compose file (default ./compose.yaml)",
    },
    workspace: {
      type: "string",
      valueName: "DIR",
      description: "folder mounted at /workspace (default: here)",
    },
  },
  examples: ["torchstack export compose", "torchstack export compose -o deploy/compose.yaml --json"],
  async run(input, io) {
    const file = input.flags.file;
    const output = input.flags.output;
    const workspace = input.flags.workspace;
    const result = await exportEnvironment(
      {
        kind: "compose",
        ...(file ? { file } : {}),
        ...(output ? { output } : {}),
        ...(workspace ? { workspace } : {}),
      },
      {
        connectEngine: () => connectEngineLazily(io.env, io.reporter),
        env: io.env,
        cwd: io.cwd,
        reporter: io.reporter,
      },
    );
    return { json: result, text: exportText(result) };
  },
});
