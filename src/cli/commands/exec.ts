/** `torchstack exec` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const execCommand = defineCommand({
  name: "exec",
  summary: "not built yet",
  usage: "exec",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack exec` is not built yet");
  },
});
