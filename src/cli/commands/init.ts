/** `torchstack init` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const initCommand = defineCommand({
  name: "init",
  summary: "not built yet",
  usage: "init",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack init` is not built yet");
  },
});
