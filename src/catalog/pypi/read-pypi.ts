/**
 * Reading PyPI (or a mirror of its simple API) for `catalog update`: the JSON
 * pages (PEP 691) of torch, torchvision, torchaudio and triton, fetched
 * conditionally, then one wheel's core metadata per torch release and platform
 * and per torchvision/torchaudio release (PEP 658, or range reads of the wheel
 * when the mirror serves no `.metadata`). Metadata is cached per wheel URL
 * (files on PyPI are immutable), so a second update costs four page requests.
 */
import { parseMetadata, type WheelMetadata } from "../index/parse-metadata.js";
import type { IndexRelease } from "../overlay/overlay-schema.js";
import { type CacheEntry, type IndexCache, sha256Hex } from "../update/index-cache.js";
import type { IndexFetcher } from "../update/index-fetcher.js";
import { mapPool } from "../update/run-pool.js";
import { type PypiLink, parseSimpleJson } from "./parse-simple-json.js";
import { PYPI_PACKAGES, type PypiPages, pypiMetadataPlan, pypiReleases } from "./pypi-releases.js";
import { readWheelMetadata } from "./read-wheel-metadata.js";

export const DEFAULT_PYPI = "https://pypi.org/simple";
const JSON_ACCEPT = "application/vnd.pypi.simple.v1+json";

export interface PypiRead {
  releases: IndexRelease[];
  /** True when every page answered 304 Not Modified. */
  unchanged: boolean;
  metadata: { read: number; fetched: number; viaRange: number };
  /** Cache entries to keep once the whole update succeeded. */
  fresh: CacheEntry[];
}

export async function readPypi(options: {
  base: string;
  fetcher: IndexFetcher;
  cache: IndexCache;
  concurrency: number;
}): Promise<PypiRead> {
  const base = options.base.replace(/\/+$/, "");
  const fresh: CacheEntry[] = [];
  let notModified = 0;
  const pages = {} as Record<(typeof PYPI_PACKAGES)[number], PypiLink[]>;
  await Promise.all(
    PYPI_PACKAGES.map(async (pkg) => {
      const url = `${base}/${pkg}/`;
      const cached = options.cache.get(url);
      const result = await options.fetcher.get(url, cached ?? {}, JSON_ACCEPT);
      let body: string;
      if (result.status === 304 && cached) {
        notModified += 1;
        body = cached.body;
      } else if (result.status === 200) {
        body = result.body;
        fresh.push({
          url,
          etag: result.etag,
          lastModified: result.lastModified,
          sha256: sha256Hex(body),
          body,
        });
      } else {
        throw new Error(`${url}: HTTP ${result.status}`);
      }
      pages[pkg] = parseSimpleJson(body, url);
    }),
  );
  const plan = pypiMetadataPlan(pages as PypiPages);
  const metadata = new Map<string, WheelMetadata>();
  let fetched = 0;
  let viaRange = 0;
  await mapPool(plan, options.concurrency, async (wheel) => {
    const key = `${wheel.link.url}#metadata`;
    const cached = options.cache.get(key);
    let text = cached?.body;
    if (text === undefined) {
      const read = await readWheelMetadata(options.fetcher, wheel.link);
      text = read.text;
      fetched += 1;
      if (read.via === "range") viaRange += 1;
      fresh.push({ url: key, etag: null, lastModified: null, sha256: sha256Hex(text), body: text });
    }
    metadata.set(wheel.link.url, parseMetadata(text, wheel.link.url, wheel.file.platform));
  });
  return {
    releases: pypiReleases(pages as PypiPages, metadata),
    unchanged: notModified === PYPI_PACKAGES.length,
    metadata: { read: plan.length, fetched, viaRange },
    fresh,
  };
}
