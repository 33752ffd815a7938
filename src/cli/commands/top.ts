/** `torchstack top` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const topCommand = defineCommand({
  name: "top",
  summary: "not built yet",
  usage: "top",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack top` is not built yet");
  },
});
