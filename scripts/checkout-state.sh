# Sourced by scripts/test.sh and scripts/demo.sh (from the repository root): whether this checkout's npm
# dependencies and its CLI bundle are current. Each function prints why one is not (nothing when it is), so
# the callers install or build only what is missing or stale, and say why.
# shellcheck shell=bash

# Why `npm ci` is needed: node_modules is missing, or older than package-lock.json (the lock changed since).
npm_deps_reason() {
  if [ ! -f node_modules/.package-lock.json ]; then
    echo "node_modules is missing"
  elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "node_modules is older than package-lock.json"
  fi
}

# Why `npm run build` is needed: dist/cli.cjs (the bundle bin/torchstack.js runs) is missing, or a source
# file under src/ changed after it was built (tests, snapshots and the probe scripts, read from src/ at run
# time, are not in the bundle).
bundle_reason() {
  if [ ! -f dist/cli.cjs ]; then
    echo "dist/cli.cjs is missing"
    return
  fi
  local newer
  newer="$(find src -type f -newer dist/cli.cjs ! -name '*.test.ts' ! -path '*/__snapshots__/*' ! -path 'src/probe/scripts/*' -print -quit)"
  if [ -n "$newer" ]; then echo "dist/ is older than src/ ($newer changed after the last build)"; fi
}
