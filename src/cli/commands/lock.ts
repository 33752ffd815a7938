/** `torchstack lock` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const lockCommand = defineCommand({
  name: "lock",
  summary: "not built yet",
  usage: "lock",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack lock` is not built yet");
  },
});
