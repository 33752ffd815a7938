/** `torchstack doctor` (not built yet). */

import { TorchstackError } from "../../errors.js";
import { defineCommand } from "../command.js";

export const doctorCommand = defineCommand({
  name: "doctor",
  summary: "not built yet",
  usage: "doctor",
  options: {},
  async run() {
    throw new TorchstackError("E_NOT_IMPLEMENTED", "`torchstack doctor` is not built yet");
  },
});
