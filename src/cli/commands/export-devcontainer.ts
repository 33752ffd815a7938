/** `torchstack export devcontainer [-o DIR]`: DIR/.devcontainer/devcontainer.json for the built image. */
import { exportEnvironment } from "../../workflows/export-environment.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";
import { connectEngineLazily, exportText } from "./export-text.js";

export const exportDevcontainerCommand = defineCommand({
  name: "export devcontainer",
  summary: "write .devcontainer/devcontainer.json that opens the built environment",
  usage: "export devcontainer [-f FILE] [-o DIR]",
  description:
    "For VS Code and the Dev Containers CLI: the image the lock names, started as `torchstack up` starts it " +
    "(its entrypoint, the user remapped to the folder's owner, shm, ulimits, network, GPUs optional), the folder " +
    "mounted at /workspace, the non-root remote user, the apps' ports forwarded, ready when the healthcheck " +
    "passes. The app token goes to .devcontainer/torchstack.env (mode 0600). Details: docs/exports.md.",
  options: {
    file: specFileOption,
    output: { type: "string", short: "o", valueName: "DIR", description: "folder to open (default: here)" },
  },
  examples: ["torchstack export devcontainer", "torchstack export devcontainer -o ~/project --json"],
  async run(input, io) {
    const file = input.flags.file;
    const output = input.flags.output;
    const result = await exportEnvironment(
      { kind: "devcontainer", ...(file ? { file } : {}), ...(output ? { output } : {}) },
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
