/** `torchstack diagnose` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const diagnoseCommand = defineCommand({
  name: "diagnose",
  summary: "not built yet",
  usage: "diagnose",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack diagnose` is not built yet");
  },
});
