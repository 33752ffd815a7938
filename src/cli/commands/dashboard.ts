/** `torchstack dashboard` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const dashboardCommand = defineCommand({
  name: "dashboard",
  summary: "not built yet",
  usage: "dashboard",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack dashboard` is not built yet");
  },
});
