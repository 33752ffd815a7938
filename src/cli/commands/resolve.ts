/** `torchstack resolve` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const resolveCommand = defineCommand({
  name: "resolve",
  summary: "not built yet",
  usage: "resolve",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack resolve` is not built yet");
  },
});
