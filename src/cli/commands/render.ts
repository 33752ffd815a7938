/** `torchstack render` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const renderCommand = defineCommand({
  name: "render",
  summary: "not built yet",
  usage: "render",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack render` is not built yet");
  },
});
