// Says where it bites that edits to src/ do nothing until `npm run build`: bin/torchstack.js runs the bundle in
// dist/, so in a git checkout whose src/ changed after the last build, the CLI would run the old code silently.
// Only for a person at a terminal (stderr is a TTY) and only in a checkout (a .git beside bin/): programs that
// pipe the CLI's output (tests, benchmarks, scripts) and installed packages pay one isatty call and nothing
// else. In a checkout at a terminal it stats the bundle, then the sources until one is newer (≈400 files, a
// few milliseconds).
"use strict";
const { existsSync, readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");
const { isatty } = require("node:tty");

/** Read from src/ at run time, not bundled (src/probe/locate-scripts.ts): editing them needs no build. */
const READ_AT_RUN_TIME = join("src", "probe", "scripts");

/** The first file under `dir` changed after `since` (ms), tests and snapshots left out (not in the bundle). */
function firstNewer(dir, since) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "__snapshots__" || path.endsWith(READ_AT_RUN_TIME)) continue;
      const found = firstNewer(path, since);
      if (found !== undefined) return found;
    } else if (!entry.name.endsWith(".test.ts")) {
      const changed = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
      if (changed !== undefined && changed > since) return path;
    }
  }
  return undefined;
}

/**
 * The warning to print when `root` is a git checkout whose dist/cli.cjs is older than a source file under
 * src/; undefined otherwise (no checkout, no bundle: bin/torchstack.js says that itself, or up to date).
 */
function staleBundleWarning(root = join(__dirname, "..")) {
  if (!existsSync(join(root, ".git"))) return undefined;
  const built = statSync(join(root, "dist", "cli.cjs"), { throwIfNoEntry: false });
  if (built === undefined) return undefined;
  const newer = firstNewer(join(root, "src"), built.mtimeMs);
  if (newer === undefined) return undefined;
  return (
    "torchstack: warning: dist/ is older than src/: run npm run build\n" +
    `  ${newer.slice(root.length + 1)} changed after the last build; this checkout runs dist/, so edits to src/ do nothing until it is rebuilt\n`
  );
}

/** Writes the warning on stderr when it is a terminal and the bundle is stale. */
function warnWhenStale() {
  if (!isatty(2)) return;
  const warning = staleBundleWarning();
  if (warning !== undefined) process.stderr.write(warning);
}

module.exports = { staleBundleWarning, warnWhenStale };
