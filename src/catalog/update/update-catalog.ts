/**
 * `catalog update`: read the torch, torchvision and torchaudio pages of a wheel
 * index, the core metadata of one wheel per release and variant, and write the
 * overlay that loadCatalog merges onto the built-in data. Pages are fetched
 * conditionally (ETag / Last-Modified) and metadata files once (they are
 * immutable and hash-checked), so a second update costs three small requests;
 * `offline` rebuilds from that cache alone. Nothing is written unless every
 * step succeeded: a failure leaves the previous overlay and cache as they were.
 */
import { join } from "node:path";
import { TorchstackError } from "../../errors/torchstack-error.js";
import type { Reporter } from "../../report/reporter.js";
import { builtinCatalog } from "../catalog.js";
import {
  INDEX_PACKAGES,
  type IndexPackage,
  type IndexPages,
  indexReleases,
  metadataPlan,
} from "../index/index-releases.js";
import { parseMetadata, type WheelMetadata } from "../index/parse-metadata.js";
import { type IndexLink, parseSimpleIndex } from "../index/parse-simple-index.js";
import { mergeOverlay } from "../overlay/merge-overlay.js";
import { catalogStateDir, overlayPath, readOverlay, writeOverlay } from "../overlay/overlay-file.js";
import { type IndexRelease, OVERLAY_SCHEMA_VERSION, type Overlay } from "../overlay/overlay-schema.js";
import { readPypi } from "../pypi/read-pypi.js";
import { combineSources } from "./combine-sources.js";
import { type CacheEntry, IndexCache, sha256Hex } from "./index-cache.js";
import { type IndexFetcher, withoutCredentials } from "./index-fetcher.js";

export { withoutCredentials };

import { mapPool } from "./run-pool.js";

export const DEFAULT_INDEX = "https://download.pytorch.org/whl";

export interface UpdateOptions {
  env: NodeJS.ProcessEnv;
  /** Base of the simple index (the folder holding torch/, torchvision/, torchaudio/). */
  index: string;
  offline: boolean;
  fetcher: IndexFetcher;
  reporter: Reporter;
  now: () => Date;
  /** Metadata requests in flight at once. */
  concurrency: number;
  /** The command's signal: Ctrl-C stops the update instead of marking a source unreachable. */
  signal?: AbortSignal;
  /** Base of PyPI's simple API (or a mirror's); null or absent = do not read PyPI. */
  pypi?: string | null;
  /** Succeed only when every source was read (default: when at least one was). */
  strict?: boolean;
}

export interface SourceReport {
  id: "pytorch-index" | "pypi";
  /** The source's URL, credentials removed. */
  url: string;
  outcome: "read" | "unchanged" | "unreachable";
  /** Why a source could not be read (its error), when unreachable. */
  reason?: string;
  releases: number;
  ms: number;
}

export interface PageReport {
  package: IndexPackage;
  url: string;
  /** fetched: downloaded now; not-modified: the server answered 304; cached: --offline. */
  status: "fetched" | "not-modified" | "cached";
  links: number;
  ms: number;
}

export interface UpdateReport {
  index: string;
  overlay: string;
  fetchedAt: string;
  offline: boolean;
  pages: PageReport[];
  metadata: { read: number; fetched: number; cached: number };
  releases: number;
  /** Releases the built-in catalog does not have. */
  newReleases: string[];
  /** Each source and its outcome. */
  sources: SourceReport[];
  /** Bytes received (pages, metadata files and range reads). */
  bytesFetched: number;
  ms: number;
}

interface PageState {
  report: PageReport;
  links: IndexLink[];
  body: string;
  entry: CacheEntry;
}

const changed = (what: string) =>
  new TorchstackError("E_CATALOG_INDEX_CHANGED", `${what}: the wheel index changed while it was being read`, {
    remedies: [
      "run `torchstack catalog update` again in a minute (the index is being published to); the previous overlay is kept",
    ],
  });

const noCache = (url: string) =>
  new TorchstackError("E_CATALOG_NO_CACHE", `--offline: ${url} is not in the cache`, {
    remedies: [
      "run `torchstack catalog update` once with network access (or --index pointing at a reachable mirror)",
    ],
  });

function entryOf(url: string, body: string, etag: string | null, lastModified: string | null): CacheEntry {
  return { url, etag, lastModified, sha256: sha256Hex(body), body };
}

async function readPage(
  pkg: IndexPackage,
  url: string,
  options: UpdateOptions,
  cache: IndexCache,
): Promise<PageState> {
  const started = performance.now();
  const cached = cache.get(url);
  let status: PageReport["status"];
  let entry: CacheEntry;
  if (options.offline) {
    if (!cached) throw noCache(url);
    status = "cached";
    entry = cached;
  } else {
    const result = await options.fetcher.get(url, cached ?? {});
    if (result.status === 404) {
      throw new TorchstackError("E_CATALOG_FETCH", `${url}: HTTP 404 (no ${pkg} page on this index)`, {
        remedies: [`check --index: it must be the base holding ${pkg}/ (the default is ${DEFAULT_INDEX})`],
      });
    }
    if (result.status === 304) {
      if (!cached) throw changed(`${url} answered 304 Not Modified to a request without validators`);
      status = "not-modified";
      entry = cached;
    } else {
      status = "fetched";
      entry = entryOf(url, result.body, result.etag, result.lastModified);
    }
  }
  const links = parseSimpleIndex(entry.body, url);
  const report = {
    package: pkg,
    url,
    status,
    links: links.length,
    ms: Math.round(performance.now() - started),
  };
  return { report, links, body: entry.body, entry };
}

async function readMetadata(
  link: IndexLink,
  options: UpdateOptions,
  cache: IndexCache,
  fresh: CacheEntry[],
): Promise<{ meta: WheelMetadata; fetched: boolean }> {
  const url = `${link.url}.metadata`;
  const cached = cache.get(url);
  const matches = (entry: CacheEntry) => !link.metadataSha256 || entry.sha256 === link.metadataSha256;
  if (cached && matches(cached)) return { meta: parseMetadata(cached.body, url), fetched: false };
  if (options.offline) throw noCache(url);
  const result = await options.fetcher.get(url);
  if (result.status === 404) throw changed(`${url} is listed on its page but not served`);
  if (result.status === 304)
    throw changed(`${url} answered 304 Not Modified to a request without validators`);
  const entry = entryOf(url, result.body, result.etag, result.lastModified);
  if (!matches(entry)) throw changed(`${url} does not match the sha256 its page lists`);
  const meta = parseMetadata(entry.body, url);
  fresh.push(entry);
  return { meta, fetched: true };
}

/** After the metadata: the pages must still be the ones the plan was made from. */
async function recheckPages(states: readonly PageState[], options: UpdateOptions): Promise<void> {
  await Promise.all(
    states.map(async (state) => {
      const result = await options.fetcher.get(state.report.url, state.entry);
      if (result.status === 304) return;
      if (result.status === 404 || sha256Hex(result.body) !== state.entry.sha256)
        throw changed(state.report.url);
    }),
  );
}

interface IndexRead {
  releases: IndexRelease[];
  pages: PageReport[];
  metadata: UpdateReport["metadata"];
  fresh: CacheEntry[];
}

/** The PyTorch wheel index: its three pages and one metadata file per release and variant. */
async function readIndex(options: UpdateOptions, index: string, cache: IndexCache): Promise<IndexRead> {
  options.reporter.step(`${options.offline ? "rebuilding from the cache of" : "reading"} ${index}`);
  const states = await Promise.all(
    INDEX_PACKAGES.map((pkg) => readPage(pkg, `${index}/${pkg}/`, options, cache)),
  );
  for (const s of states)
    options.reporter.info(
      `${s.report.package}: ${s.report.links} files (${s.report.status}, ${s.report.ms} ms)`,
    );
  const pages = Object.fromEntries(states.map((s) => [s.report.package, s.links])) as unknown as IndexPages;
  const plan = metadataPlan(pages);
  const fresh: CacheEntry[] = [];
  let done = 0;
  const metadata = new Map<string, WheelMetadata>();
  let fetched = 0;
  await mapPool(plan, options.concurrency, async (link) => {
    const read = await readMetadata(link, options, cache, fresh);
    metadata.set(link.url, read.meta);
    if (read.fetched) fetched += 1;
    done += 1;
    if (done % 50 === 0) options.reporter.info(`metadata ${done}/${plan.length}`);
  });
  if (!options.offline) await recheckPages(states, options);
  const releases = indexReleases(pages, metadata);
  if (releases.length === 0) {
    throw new TorchstackError(
      "E_CATALOG_INDEX_INVALID",
      `${index}/torch/ lists no Linux torch wheel of 2.0 or later`,
      {
        remedies: [
          `check --index: it must be the base of a PyTorch wheel index (the default is ${DEFAULT_INDEX})`,
        ],
      },
    );
  }
  return {
    releases,
    pages: states.map((s) => s.report),
    metadata: { read: plan.length, fetched, cached: plan.length - fetched },
    fresh: [...states.filter((s) => s.report.status === "fetched").map((s) => s.entry), ...fresh],
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function updateCatalog(options: UpdateOptions): Promise<UpdateReport> {
  const started = performance.now();
  const index = options.index.replace(/\/+$/, "");
  const cache = new IndexCache(join(catalogStateDir(options.env), "cache"));
  const previous = await readOverlay(options.env).catch(() => undefined);
  const kept = (id: SourceReport["id"]) => previous?.overlay.sources?.find((s) => s.id === id);
  const sources: NonNullable<Overlay["sources"]> = [];
  const reports: SourceReport[] = [];
  const failures: unknown[] = [];
  const fresh: CacheEntry[] = [];
  let indexRead: IndexRead | undefined;

  const run = async (
    id: SourceReport["id"],
    url: string,
    read: () => Promise<{ releases: IndexRelease[]; unchanged: boolean; fresh: CacheEntry[] }>,
  ) => {
    const t0 = performance.now();
    const shown = withoutCredentials(url);
    try {
      const got = await read();
      fresh.push(...got.fresh);
      const outcome = got.unchanged ? "unchanged" : "read";
      sources.push({ id, url: shown, outcome, readAt: options.now().toISOString(), releases: got.releases });
      reports.push({
        id,
        url: shown,
        outcome,
        releases: got.releases.length,
        ms: Math.round(performance.now() - t0),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      failures.push(error);
      const reason = reasonOf(error);
      const last = kept(id);
      sources.push({
        id,
        url: shown,
        outcome: "unreachable",
        reason,
        readAt: last?.readAt ?? null,
        releases: last?.releases ?? [],
      });
      reports.push({
        id,
        url: shown,
        outcome: "unreachable",
        reason,
        releases: last?.releases.length ?? 0,
        ms: Math.round(performance.now() - t0),
      });
      options.reporter.warn(
        `${shown}: not read (${reason}); ${last ? "its facts from the last update are kept" : "no earlier facts from it"}`,
      );
    }
  };

  const readPypiSource = (pypi: string) => {
    options.reporter.step(`reading ${withoutCredentials(pypi)} (PEP 691 pages, wheel metadata only)`);
    return run("pypi", pypi, async () => {
      const got = await readPypi({
        base: pypi,
        fetcher: options.fetcher,
        cache,
        concurrency: options.concurrency,
      });
      options.reporter.info(
        `pypi: ${got.releases.length} torch releases; metadata ${got.metadata.read} (${got.metadata.fetched} fetched, ${got.metadata.viaRange} by range reads)`,
      );
      return got;
    });
  };
  // The sources are read at once: an unreachable one costs no more than its own timeout.
  await Promise.all([
    run("pytorch-index", index, async () => {
      indexRead = await readIndex(options, index, cache);
      const unchanged = indexRead.pages.every((p) => p.status !== "fetched");
      return { releases: indexRead.releases, unchanged, fresh: indexRead.fresh };
    }),
    ...(options.pypi && !options.offline ? [readPypiSource(options.pypi)] : []),
  ]);
  const order = (id: SourceReport["id"]) => (id === "pytorch-index" ? 0 : 1);
  sources.sort((a, b) => order(a.id) - order(b.id));
  reports.sort((a, b) => order(a.id) - order(b.id));
  const readCount = reports.filter((r) => r.outcome !== "unreachable").length;
  if (readCount === 0 || (options.strict && failures.length > 0)) {
    const first = failures[0];
    if (first instanceof TorchstackError && readCount === 0) throw first;
    const unread = reports.filter((r) => r.outcome === "unreachable");
    throw new TorchstackError(
      "E_CATALOG_FETCH",
      `${options.strict ? "--strict: " : ""}${unread.map((r) => `${r.url}: ${r.reason ?? "not read"}`).join("; ")}`,
      {
        remedies: [
          "run `torchstack catalog update` again when the source is reachable (the previous overlay is kept)",
          ...(options.strict ? ["or drop --strict to accept an update from the sources that answered"] : []),
        ],
      },
    );
  }
  const releases = combineSources(sources);
  if (releases.length === 0) {
    throw new TorchstackError(
      "E_CATALOG_INDEX_INVALID",
      "no source lists a Linux torch wheel of 2.0 or later",
      {
        remedies: [
          `check --index and --pypi: they must be the bases of a PyTorch wheel index and of PyPI's simple API`,
        ],
      },
    );
  }
  const overlay: Overlay = {
    schema: OVERLAY_SCHEMA_VERSION,
    index: (sources[0]?.url ?? withoutCredentials(index)).replace(/\/+$/, ""),
    fetchedAt: options.now().toISOString(),
    releases,
    sources,
  };
  mergeOverlay(builtinCatalog, overlay, overlayPath(options.env)); // a merge that throws must not leave a file behind
  cache.putAll(fresh);
  const file = writeOverlay(options.env, overlay);
  const known = new Set(builtinCatalog.torchReleases.map((r) => r.version));
  return {
    index: withoutCredentials(index),
    overlay: file,
    fetchedAt: overlay.fetchedAt,
    offline: options.offline,
    pages: indexRead?.pages ?? [],
    metadata: indexRead?.metadata ?? { read: 0, fetched: 0, cached: 0 },
    releases: releases.length,
    newReleases: releases.map((r) => r.version).filter((v) => !known.has(v)),
    sources: reports,
    bytesFetched: options.fetcher.bytesRead(),
    ms: Math.round(performance.now() - started),
  };
}
