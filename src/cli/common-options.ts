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

/** `--python-index` / `--pytorch-index` on `lock` and `build` (credentials in the URL become a BuildKit secret). */
export const indexOptions = {
  "python-index": {
    type: "string",
    valueName: "URL",
    description:
      "the Python package index (a mirror; else PIP_INDEX_URL, UV_DEFAULT_INDEX, UV_INDEX_URL, the spec's indexes.python, PyPI)",
  },
  "pytorch-index": {
    type: "string",
    valueName: "URL",
    description: "the PyTorch index's base, for torch builds PyPI lacks (else the spec's indexes.pytorch)",
  },
} as const;
