/** `torchstack catalog show [--torch X]`: the torch releases resolve will use, or one release's full facts. */
import { loadCatalog } from "../../catalog/catalog.js";
import {
  defaultTorch,
  releaseSummaries,
  releasesFor,
  releaseText,
  summariesText,
} from "../../catalog/catalog-report.js";
import { TorchstackError } from "../../errors/torchstack-error.js";
import { defineCommand } from "../command.js";

export const catalogShowCommand = defineCommand({
  name: "catalog show",
  summary: "show the torch releases resolve will use (built-in data plus overlay)",
  usage: "catalog show [--torch X] [--json]",
  description:
    "Without --torch: one line per release (variants, Python, pairing; which are unconfirmed or come from the " +
    "index). With --torch 2.14.1 (or a minor, 2.14): every fact of that release, variant by variant, with provenance.",
  options: {
    torch: {
      type: "string",
      valueName: "VERSION",
      description: "a release (2.14.1) or every patch of a minor (2.14)",
    },
  },
  examples: ["torchstack catalog show", "torchstack catalog show --torch 2.14 --json"],
  async run(input, io) {
    const catalog = await loadCatalog({ env: io.env });
    const torch = input.flags.torch;
    const defaultVersion = defaultTorch(catalog);
    if (torch === undefined) {
      const releases = releaseSummaries(catalog);
      return {
        json: { ok: true, defaultTorch: defaultVersion, releases },
        text: summariesText(releases, defaultVersion),
      };
    }
    const releases = releasesFor(catalog, torch);
    if (releases.length === 0) {
      throw new TorchstackError("E_UNKNOWN_TORCH", `torch ${torch} is not in the catalog`, {
        remedies: [
          "run `torchstack catalog show` to list the releases it knows",
          "run `torchstack catalog update` to read newer releases from the wheel index",
        ],
      });
    }
    return {
      json: { ok: true, defaultTorch: defaultVersion, releases },
      text: releases.map(releaseText).join("\n\n"),
    };
  },
});
