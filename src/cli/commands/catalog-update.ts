/**
 * `torchstack catalog update`: read the wheel index (the official one, or any
 * base in its layout given with --index) and write the catalog overlay into the
 * state folder; `--offline` rebuilds it from the cache of earlier updates.
 */

import { DEFAULT_PYPI } from "../../catalog/pypi/read-pypi.js";
import { httpIndexFetcher } from "../../catalog/update/index-fetcher.js";
import { DEFAULT_INDEX, updateCatalog, withoutCredentials } from "../../catalog/update/update-catalog.js";
import { UsageError } from "../../errors/torchstack-error.js";
import { wholeNumberValue } from "../args.js";
import { defineCommand } from "../command.js";

const CONCURRENCY = 8;

function pypiUrl(raw: string | undefined): string | null {
  if (raw === "none") return null;
  return sourceUrl(raw ?? DEFAULT_PYPI, "--pypi");
}

function indexUrl(raw: string | undefined): string {
  return sourceUrl(raw ?? DEFAULT_INDEX, "--index");
}

function sourceUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got "${withoutCredentials(value)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${flag} must be an http(s) URL, got "${withoutCredentials(value)}"`);
  }
  return value;
}

export const catalogUpdateCommand = defineCommand({
  name: "catalog update",
  summary: "read the PyTorch wheel index and PyPI and update the catalog overlay",
  usage: "catalog update [--index URL] [--pypi URL|none] [--strict] [--offline] [--timeout SECONDS] [--json]",
  description:
    "Reads the torch, torchvision and torchaudio pages of a PEP 503 wheel index and one wheel's core metadata " +
    "(PEP 658 .metadata) per release and variant: releases, variants, CPython tags, platforms, cuDNN/NCCL/CUDA " +
    "runtime/triton pins, Requires-Python and the torchvision/torchaudio pairing. Writes them, with the index URL " +
    "and date, to the overlay in the state folder ($TORCHSTACK_STATE_DIR/catalog/overlay.json), which resolve " +
    "merges onto the built-in catalog. Pages are fetched conditionally and metadata once, so a second update is " +
    "cheap. It also reads PyPI's simple API (PEP 691 JSON) and each torch, torchvision and torchaudio release's " +
    "wheel metadata (PEP 658, or range reads of the wheel's METADATA; no wheel is downloaded): the PyPI build's " +
    "CUDA and cuDNN/NCCL/cuSPARSELt/NVSHMEM/triton pins, CPython tags, platforms (x86_64, aarch64) and pairing. " +
    "Each source's outcome is reported (read, unchanged, unreachable with the reason); the update succeeds when " +
    "at least one source was read (--strict: all), and a source that was not read keeps its facts from the last " +
    "update. Credentials in a URL are used, never stored or printed. Any failure keeps the previous overlay. " +
    "See docs/catalog.md.",
  options: {
    index: {
      type: "string",
      valueName: "URL",
      description: `base of the wheel index, holding torch/, torchvision/, torchaudio/ (default ${DEFAULT_INDEX})`,
    },
    pypi: {
      type: "string",
      valueName: "URL|none",
      description: `base of PyPI's simple API or a mirror of it (default ${DEFAULT_PYPI}); none: the wheel index only`,
    },
    strict: { type: "boolean", description: "fail unless every source was read" },
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
    "torchstack catalog update --pypi https://mirror.example.org/pypi/simple --strict",
    "torchstack catalog update --offline --json",
  ],
  async run(input, io) {
    const index = indexUrl(input.flags.index);
    const timeout = wholeNumberValue(input.flags.timeout, "--timeout", { min: 1, max: 600 }) ?? 30;
    const report = await updateCatalog({
      env: io.env,
      index,
      offline: input.flags.offline,
      fetcher: httpIndexFetcher({ timeoutMs: timeout * 1000, signal: io.signal }),
      reporter: io.reporter,
      now: () => new Date(),
      concurrency: CONCURRENCY,
      pypi: pypiUrl(input.flags.pypi),
      strict: input.flags.strict,
      signal: io.signal,
    });
    const fresh =
      report.newReleases.length > 0 ? `; new to torchstack: ${report.newReleases.join(", ")}` : "";
    const pages = report.pages.map((p) => `${p.package} ${p.status}`).join(", ");
    return {
      json: { ok: true, ...report },
      text:
        `catalog overlay written: ${report.releases} torch releases${fresh}\n` +
        report.sources
          .map(
            (s) =>
              `${s.id} ${s.url}: ${s.outcome}${s.reason ? ` (${s.reason})` : ""}, ${s.releases} releases, ${s.ms} ms`,
          )
          .join("\n") +
        `\n${report.bytesFetched} bytes fetched\n` +
        `pages: ${pages}; metadata: ${report.metadata.fetched} fetched, ${report.metadata.cached} from the cache; ${report.ms} ms\n` +
        report.overlay,
    };
  },
});
