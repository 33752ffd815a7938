/** `torchstack bench` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const benchCommand = defineCommand({
  name: "bench",
  summary: "not built yet",
  usage: "bench",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack bench` is not built yet");
  },
});
