/** `torchstack verify` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const verifyCommand = defineCommand({
  name: "verify",
  summary: "not built yet",
  usage: "verify",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack verify` is not built yet");
  },
});
