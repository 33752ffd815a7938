/** `torchstack build` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const buildCommand = defineCommand({
  name: "build",
  summary: "not built yet",
  usage: "build",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack build` is not built yet");
  },
});
