/**
 * `torchstack catalog update`: read the wheel index (the official one, or any
 * base in its layout given with --index) and write the catalog overlay into the
 * state folder; `--offline` rebuilds it from the cache of earlier updates.
 */

import { httpIndexFetcher } from "../../catalog/update/index-fetcher.js";
import { DEFAULT_INDEX, updateCatalog } from "../../catalog/update/update-catalog.js";
import { UsageError } from "../../errors/torchstack-error.js";
import { booleanFlag, integerFlag, stringFlag } from "../args.js";
import { defineCommand } from "../command.js";

const CONCURRENCY = 8;

function indexUrl(raw: string | undefined): string {
  const value = raw ?? DEFAULT_INDEX;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--index must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--index must be an http(s) URL, got "${value}"`);
  }
  return value;
}

export const catalogUpdateCommand = defineCommand({
  name: "catalog update",
  summary: "read the PyTorch wheel index and update the catalog overlay",
  usage: "catalog update [--index URL] [--offline] [--timeout SECONDS] [--json]",
  description:
    "Reads the torch, torchvision and torchaudio pages of a PEP 503 wheel index and one wheel's core metadata " +
    "(PEP 658 .metadata) per release and variant: releases, variants, CPython tags, platforms, cuDNN/NCCL/CUDA " +
    "runtime/triton pins, Requires-Python and the torchvision/torchaudio pairing. Writes them, with the index URL " +
    "and date, to the overlay in the state folder ($TORCHSTACK_STATE_DIR/catalog/overlay.json), which resolve " +
    "merges onto the built-in catalog. Pages are fetched conditionally and metadata once, so a second update is " +
    "cheap; any failure keeps the previous overlay. See docs/catalog.md.",
  options: {
    index: {
      type: "string",
      valueName: "URL",
      description: `base of the wheel index, holding torch/, torchvision/, torchaudio/ (default ${DEFAULT_INDEX})`,
    },
    offline: { type: "boolean", description: "rebuild the overlay from the cache of earlier updates only" },
    timeout: {
      type: "string",
      valueName: "SECONDS",
      description: "limit for each request (default 30)",
    },
  },
  examples: [
    "torchstack catalog update",
    "torchstack catalog update --index https://mirror.example.org/pytorch/whl",
    "torchstack catalog update --offline --json",
  ],
  async run(input, io) {
    const index = indexUrl(stringFlag(input, "index"));
    const timeout = integerFlag(input, "timeout", { min: 1, max: 600 }) ?? 30;
    const report = await updateCatalog({
      env: io.env,
      index,
      offline: booleanFlag(input, "offline"),
      fetcher: httpIndexFetcher({ timeoutMs: timeout * 1000, signal: io.signal }),
      reporter: io.reporter,
      now: () => new Date(),
      concurrency: CONCURRENCY,
    });
    const fresh =
      report.newReleases.length > 0 ? `; new to torchstack: ${report.newReleases.join(", ")}` : "";
    const pages = report.pages.map((p) => `${p.package} ${p.status}`).join(", ");
    return {
      json: { ok: true, ...report },
      text:
        `catalog overlay written: ${report.releases} torch releases from ${report.index}${fresh}\n` +
        `pages: ${pages}; metadata: ${report.metadata.fetched} fetched, ${report.metadata.cached} from the cache; ${report.ms} ms\n` +
        report.overlay,
    };
  },
});
