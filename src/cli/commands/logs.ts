/** `torchstack logs` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const logsCommand = defineCommand({
  name: "logs",
  summary: "not built yet",
  usage: "logs",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack logs` is not built yet");
  },
});
