#!/usr/bin/env bash
# One command to the main job on a fresh Debian 12 host with Node 20 (as root: `sudo npm run demo`):
#   1. installs the npm dependencies when they are missing or older than package-lock.json (npm ci), and
#      builds the CLI bundle (dist/) when it is missing or older than src/ (scripts/checkout-state.sh);
#   2. prepares the engine (`npm run engine:setup`: Docker, the local Debian 12 and 13 bases);
#   3. builds the example (examples/cpu: Debian 13, torch 2.6, toolchain flavor, JupyterLab, SSH);
#   4. brings it up on loopback with a workspace owned by the user who ran sudo, and prints its URLs.
# Idempotent: a second run reuses everything and restarts the environment.
# TORCHSTACK_DEMO_SPEC and TORCHSTACK_DEMO_WORKSPACE choose another spec or workspace.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="${TORCHSTACK_DEMO_SPEC:-$ROOT/examples/cpu/torchstack.yaml}"
WORKSPACE="${TORCHSTACK_DEMO_WORKSPACE:-$ROOT/.tmp/demo-workspace}"
CLI=(node "$ROOT/bin/torchstack.js")

log() { printf 'demo: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo npm run demo): it installs packages and starts dockerd"
command -v node >/dev/null || die "Node.js 20 is needed first (e.g. from nodejs.org or NodeSource), then: sudo npm run demo"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || die "Node.js $(node -v) is too old: torchstack needs 20.19 or newer"

cd "$ROOT"
# shellcheck source=scripts/checkout-state.sh
source "$ROOT/scripts/checkout-state.sh"
deps_reason="$(npm_deps_reason)"
if [ -n "$deps_reason" ]; then
  log "installing the npm dependencies and building the CLI: npm ci ($deps_reason)"
  npm ci --no-audit --no-fund >&2
fi
bundle_state="$(bundle_reason)"
if [ -n "$bundle_state" ]; then
  log "building the CLI: npm run build ($bundle_state)"
  npm run build >&2
fi

log "preparing the engine (scripts/engine-setup.sh)"
bash "$ROOT/scripts/engine-setup.sh"

log "building $SPEC (the first build downloads Debian's torch: several minutes)"
"${CLI[@]}" build -f "$SPEC" --network host

# The workspace belongs to whoever ran sudo, so files written in the environment are theirs.
mkdir -p "$WORKSPACE"
if [ -n "${SUDO_UID:-}" ] && [ -n "${SUDO_GID:-}" ]; then chown "$SUDO_UID:$SUDO_GID" "$WORKSPACE"; fi

name="$(awk '$1 == "name:" { print $2; exit }' "$SPEC")"
"${CLI[@]}" down "$name" >/dev/null 2>&1 || true
log "starting $name with its workspace at $WORKSPACE"
"${CLI[@]}" up -f "$SPEC" --network host --workspace "$WORKSPACE"
log "done: \`torchstack urls $name\` shows the URLs again, \`torchstack down $name\` stops it (the workspace stays)"
