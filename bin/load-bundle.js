// Loads the bundled CLI, dist/cli.cjs, and the side bundles it requires (dist/vendor/*.cjs: the engine client,
// the validators), each with the V8 code cache that `npm run build` writes beside it (FILE.cache,
// scripts/write-code-cache.mjs). Compiling was most of a short command's own start-up (bench/job-render.mjs);
// with the cache V8 deserializes the compiled code instead.
// The cache is used only when it was made for this very bundle and is whole: its first line names the build id
// that the bundle's first line carries (V8 itself checks only the source's length), and the length and CRC-32
// of the bytes that follow (V8 does not check them in a release build: damaged bytes would crash it). V8
// rejects a cache made by another Node or V8 version. Without a usable cache the bundle compiles from source.
"use strict";
const { readFileSync } = require("node:fs");
const { crc32 } = require("node:zlib");
const Module = require("node:module");
const { dirname, join, resolve } = require("node:path");
const vm = require("node:vm");

const BUNDLE = join(__dirname, "..", "dist", "cli.cjs");
const BUILD_ID = /^\/\*torchstack-build:([0-9a-f]+)\*\//;
const CACHE_HEADER = "torchstack-code-cache ";
const SIDE_BUNDLE = /^\.\/vendor\/[\w-]+\.cjs$/;

const headerOf = (id, code) => `${CACHE_HEADER}${id} ${code.length} ${crc32(code)}\n`;

/** V8's serialized code from the cache file, when its header names this source's build id and the code is whole. */
function readCache(file, source) {
  const id = BUILD_ID.exec(source)?.[1];
  if (id === undefined) return undefined;
  let data;
  try {
    data = readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  const end = data.indexOf(10);
  if (end < 0 || end > 200) return undefined;
  const code = data.subarray(end + 1);
  return data.toString("latin1", 0, end + 1) === headerOf(id, code) ? code : undefined;
}

/** The cache file's bytes for this compiled bundle: the header line, then V8's serialized code. */
function cacheFileBytes(source, script) {
  const id = BUILD_ID.exec(source)?.[1];
  if (id === undefined) throw new Error("the bundle does not start with its build id comment");
  const code = script.createCachedData();
  return Buffer.concat([Buffer.from(headerOf(id, code), "latin1"), code]);
}

/** Each side bundle once per process, as `require` keeps each module once. */
const sideBundles = new Map();

/** `require` for a bundle: its side bundles through loadBundle (with their caches), the rest as Node does. */
function requireFor(file, options) {
  const nodeRequire = Module.createRequire(file);
  const bundleRequire = (id) => {
    if (!SIDE_BUNDLE.test(id)) return nodeRequire(id);
    const path = resolve(dirname(file), id);
    if (!sideBundles.has(path)) sideBundles.set(path, loadBundle(path, options));
    return sideBundles.get(path).exports;
  };
  return Object.assign(bundleRequire, {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
    main: nodeRequire.main,
    extensions: nodeRequire.extensions,
  });
}

/**
 * Compiles and runs a bundle as CommonJS. Returns its exports, and what the cache writer needs:
 * `cacheBytes()` serializes the code compiled so far (call it after a warm-up run).
 */
function loadBundle(file = BUNDLE, options = { useCache: true }) {
  // latin1: the bundle is ASCII (scripts/bundle.mjs checks), and decoding it as latin1 is several times faster than UTF-8
  const source = readFileSync(file, "latin1");
  const cachedData = options.useCache ? readCache(file, source) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    // the dashboard page's from-source path imports esbuild dynamically (dist/ embeds the built page)
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, requireFor(file, options), module, file, dirname(file));
  return {
    exports: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    cacheBytes: () => cacheFileBytes(source, script),
  };
}

/** The side bundles this process has loaded, and whether each came from its cache (for tests and debugging). */
function loadedSideBundles() {
  return [...sideBundles].map(([path, loaded]) => ({ path, cacheUsed: loaded.cacheUsed }));
}

module.exports = { loadBundle, loadedSideBundles, BUNDLE };
