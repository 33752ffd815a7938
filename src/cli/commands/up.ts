/** `torchstack up` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const upCommand = defineCommand({
  name: "up",
  summary: "not built yet",
  usage: "up",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack up` is not built yet");
  },
});
