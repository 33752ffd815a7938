/** `torchstack urls` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const urlsCommand = defineCommand({
  name: "urls",
  summary: "not built yet",
  usage: "urls",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack urls` is not built yet");
  },
});
