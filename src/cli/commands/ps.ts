/** `torchstack ps` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const psCommand = defineCommand({
  name: "ps",
  summary: "not built yet",
  usage: "ps",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack ps` is not built yet");
  },
});
