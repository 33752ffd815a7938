#!/usr/bin/env node
// Entry point: runs the bundled CLI (dist/cli.cjs, built by `npm run build`, which `npm ci` runs), loaded
// through the V8 code cache the build wrote beside it (./load-bundle.js says why and how). In a git checkout
// whose src/ changed after the last build it first says so on a terminal (./stale-bundle.js): dist/ is what runs.
"use strict";
const { loadBundle } = require("./load-bundle.js");
const { warnWhenStale } = require("./stale-bundle.js");

warnWhenStale();

let bundle;
try {
  bundle = loadBundle();
} catch (error) {
  if (error?.code !== "ENOENT") throw error;
  process.stderr.write(
    `torchstack: the bundled CLI is missing (${error.path}): this checkout was not built\n` +
      "  fix: run `npm ci` (or `npm run build`) in the torchstack folder\n",
  );
  process.exit(1);
}
bundle.exports.main();
