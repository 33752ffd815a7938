/** Options several commands share, defined once so their help reads the same everywhere. */
import type { OptionSpec } from "./command.js";

/** `-f, --file FILE`: the spec to read. */
export const specFileOption = {
  type: "string",
  short: "f",
  valueName: "FILE",
  description: "spec file (default ./torchstack.yaml)",
} as const satisfies OptionSpec;

/** `--no-host`: resolve for any host, without reading this one's driver and GPUs. */
export const noHostOption = {
  type: "boolean",
  description: "do not read the host's driver and GPUs",
} as const satisfies OptionSpec;
