/** `torchstack down` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const downCommand = defineCommand({
  name: "down",
  summary: "not built yet",
  usage: "down",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack down` is not built yet");
  },
});
