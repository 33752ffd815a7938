/** `torchstack gc` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const gcCommand = defineCommand({
  name: "gc",
  summary: "not built yet",
  usage: "gc",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack gc` is not built yet");
  },
});
