#!/usr/bin/env bash
# The test command: `npm test` runs this script, and `.ci/run` only calls `npm test`. On a fresh clone it
#   1. installs the npm dependencies when node_modules is missing or older than package-lock.json (`npm ci`;
#      always under CI=true, which installs exactly the lock) — nothing before this step needs them;
#   2. as root: installs the host packages the full suite uses (HOST_PACKAGES below) that are missing;
#   3. runs the checks: lint (Biome), lint:sh (shellcheck), lint:py (flake8), typecheck, build (dist/, the
#      bundle the CLI-process and engine tests run, so they never test stale code);
#   4. as root: starts what the engine tier needs, idempotently (engine:setup, slurm:setup, k8s:setup: seconds
#      when already up), and sets TORCHSTACK_E2E=1;
#   5. runs the test tiers with Vitest: unit, and engine when step 4 ran (or TORCHSTACK_E2E=1 was set); after
#      the engine tier, removes the images labelled dev.torchstack.managed that were not on the engine before it
#      (what the tests built) and torchstack's untagged ones: a run leaves no new image behind. BuildKit's
#      cache stays, so the next run rebuilds those images from it in seconds.
# Not root, steps 2 and 4 are skipped, and it says which tests that skips, why, and how to run them.
# TORCHSTACK_TEST_TIERS=unit runs only the fast tier (steps 1, 3 and the unit tier), even as root.
# It ends with a summary of what ran and what was skipped.
# Usage: npm test [-- --dry-run]   (--dry-run prints the plan and runs nothing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/checkout-state.sh
source "$ROOT/scripts/checkout-state.sh"

say() { printf 'test: %s\n' "$*" >&2; }
usage_error() {
  say "error: $*"
  exit 2
}

# The host packages the full suite uses, as PACKAGE|PART|what needs it. PART: checks or unit — without the
# package that part skips what needs it; engine — only the engine tier uses it (engine:setup adds docker.io).
HOST_PACKAGES=(
  "python3-torch|unit|the probe tests, run for real on the host (CPU torch 1.13 with gloo)"
  "chromium|unit|the dashboard's browser tests (headless Chromium)"
  "docker-registry|unit|the registry tests: a real registry on loopback for base-image digests (and \`build --push\`)"
  "docker-compose|unit|the Compose tests: the exported compose.yaml read and run by a real Compose client"
  "shellcheck|checks|the shell linter (lint:sh)"
  "flake8|checks|the Python linter (lint:py)"
  "openssh-client|engine|the SSH end-to-end test"
  "slurm-wlm|engine|the Slurm job tests: a real two-node Slurm cluster"
  "munge|engine|the Slurm job tests: Slurm's authentication"
  "runc|engine|the Slurm job tests: srun --container (oci.conf)"
  "python3-pip|engine|the CUDA wheel image test: \`lock\` resolves a wheel image's complete wheel set with it"
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

dry_run=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    *) usage_error "unknown argument '$arg': the only one is --dry-run (print the plan, run nothing)" ;;
  esac
done

tiers="${TORCHSTACK_TEST_TIERS:-all}"
case "$tiers" in
  all | unit) ;;
  *) usage_error "TORCHSTACK_TEST_TIERS='$tiers' names no tier set: use all (the default: every tier this user can run) or unit (the checks and the unit tier only)" ;;
esac

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  say "error: Node.js $(node -v) is too old: torchstack needs 20.19 or newer (install it, then run npm test again)"
  exit 1
fi

# ---- the plan: what runs, what is skipped and why ----
uid="$(id -u)"
is_root=0
if [ "$uid" = 0 ]; then is_root=1; fi

deps_reason="$(npm_deps_reason)"
if [ -z "$deps_reason" ] && [ "${CI:-}" = true ]; then deps_reason="CI=true: CI installs exactly package-lock.json"; fi

install_packages=0
setup_engine=0
run_engine=0
if [ "$tiers" = all ] && [ "$is_root" = 1 ]; then
  install_packages=1
  setup_engine=1
  run_engine=1
elif [ "$tiers" = all ] && [ "${TORCHSTACK_E2E:-}" = 1 ]; then
  run_engine=1
fi

skip_lines=()
skipped=()
skip() {
  skipped+=("$1")
  skip_lines+=("SKIPPED $1: $2")
}
if [ "$install_packages" = 0 ]; then
  for entry in "${HOST_PACKAGES[@]}"; do
    IFS='|' read -r pkg part what <<<"$entry"
    if [ "$part" = engine ] || installed "$pkg"; then continue; fi
    if [ "$is_root" = 1 ]; then
      skip "$what" "$pkg is not installed, and TORCHSTACK_TEST_TIERS=unit installs nothing; to run them: apt-get install -y $pkg, or npm test without TORCHSTACK_TEST_TIERS"
    else
      skip "$what" "$pkg is not installed (installing it needs root); to run them: sudo apt-get install -y $pkg, or sudo npm test"
    fi
  done
fi
if [ "$is_root" = 0 ]; then
  skip "the unit tests that switch users or need root (file ownership, setpriv, the OCI bundle's privileges)" \
    "not root; to run them: sudo npm test"
fi
if [ "$run_engine" = 0 ]; then
  if [ "$tiers" = unit ]; then
    skip "the engine tier, with the Slurm and Kubernetes job tests" \
      "TORCHSTACK_TEST_TIERS=unit; to run them: npm test as root without TORCHSTACK_TEST_TIERS"
  else
    skip "the engine tier (a real Docker engine, registry, Compose and Dev Containers clients, SSH)" \
      "not root, and it needs root to install host packages and start dockerd (npm run engine:setup); to run it: sudo npm test"
    skip "the Slurm job tests (engine tier)" \
      "not root, and they need root to start munge, slurmctld and two slurmd in network namespaces (npm run slurm:setup); to run them: sudo npm test"
    skip "the Kubernetes job tests (engine tier)" \
      "not root, and they need root to build and start the control plane on loopback (npm run k8s:setup); to run them: sudo npm test"
  fi
fi

package_names=()
for entry in "${HOST_PACKAGES[@]}"; do package_names+=("${entry%%|*}"); done

if [ "$is_root" = 1 ]; then who="root"; else who="user $uid, not root"; fi
if [ "$tiers" = unit ]; then why_none="TORCHSTACK_TEST_TIERS=unit"; else why_none="not root"; fi
say "plan (as $who, TORCHSTACK_TEST_TIERS=$tiers)"
if [ -n "$deps_reason" ]; then
  say "1. npm dependencies: npm ci ($deps_reason)"
else
  say "1. npm dependencies: up to date"
fi
if [ "$install_packages" = 1 ]; then
  say "2. host packages: the missing ones of ${package_names[*]} (scripts/apt-ensure.sh)"
else
  say "2. host packages: none installed ($why_none)"
fi
say "3. checks: lint, lint:sh, lint:py, typecheck, build"
if [ "$setup_engine" = 1 ]; then
  say "4. engine set-up: engine:setup, slurm:setup, k8s:setup, then TORCHSTACK_E2E=1"
elif [ "$run_engine" = 1 ]; then
  say "4. engine set-up: none (TORCHSTACK_E2E=1 is set: the engine, Slurm and Kubernetes already set up are used)"
else
  say "4. engine set-up: none ($why_none)"
fi
if [ "$run_engine" = 1 ]; then
  tier_names="unit, engine; then the images the tests built are removed (pass or fail)"
else
  tier_names="unit"
fi
say "5. tiers: $tier_names"
for line in "${skip_lines[@]}"; do say "$line"; done

if [ "$dry_run" = 1 ]; then
  say "dry run: nothing was run"
  exit 0
fi

# ---- the run ----
started=$SECONDS
passed=()
current=""
joined() {
  local IFS=,
  local list="$*"
  echo "${list//,/, }"
}
summary() {
  local rc=${1:-$?}
  if [ "$rc" -ne 0 ] && [ -n "$current" ]; then
    say "summary: FAILED at $current (exit $rc) after $((SECONDS - started)) s; passed before it: $(joined "${passed[@]:-nothing}")"
  elif [ "$rc" -eq 0 ]; then
    say "summary: passed in $((SECONDS - started)) s: $(joined "${passed[@]}")"
  fi
  if [ "${#skipped[@]}" -gt 0 ]; then
    say "summary: skipped (why and how to run them: the SKIPPED lines above):"
    for name in "${skipped[@]}"; do say "  - $name"; done
  fi
}
trap summary EXIT

step() {
  current="$1"
  shift
  say "== $current"
  "$@"
  passed+=("$current")
}

if [ -n "$deps_reason" ]; then step "npm ci" npm ci --no-audit --no-fund; fi
if [ "$install_packages" = 1 ]; then step "host packages" bash scripts/apt-ensure.sh "${package_names[@]}"; fi
step "lint" npm run lint
step "lint:sh" npm run lint:sh
step "lint:py" npm run lint:py
step "typecheck" npm run typecheck
step "build" npm run build
if [ "$setup_engine" = 1 ]; then
  step "engine:setup" npm run engine:setup
  step "slurm:setup" npm run slurm:setup
  step "k8s:setup" npm run k8s:setup
fi
# torchstack's images on the engine (labelled dev.torchstack.managed), one full ID a line.
managed_images() { /usr/bin/docker images -q --no-trunc --filter label=dev.torchstack.managed | sort -u; }

# The owner ids (src/environments/ownership.ts: a hash of the state folder's path) of this user's and the sudo
# caller's own torchstack state: images they label are theirs, even when built while the tests ran.
own_owners() {
  local home
  for home in "$HOME" ${SUDO_USER:+"$(getent passwd "$SUDO_USER" | cut -d: -f6)"}; do
    printf '%s' "$(realpath -m "${TORCHSTACK_STATE_DIR:-${XDG_STATE_HOME:-$home/.local/state}/torchstack}")" |
      sha256sum | cut -c1-16
  done
}

# After the engine tier: a run leaves no new image behind. Removes torchstack's images that were not on the
# engine before the tier ($1: their IDs then) and are not the user's own (own_owners), and torchstack's untagged,
# unused ones (a rebuild under the same tags leaves the previous image untagged). Every other image stays.
engine_clean_up() {
  local before="$1" id owner owners removed=0
  owners="$(own_owners)"
  for id in $(managed_images); do
    grep -qxF "$id" <<<"$before" && continue
    owner="$(/usr/bin/docker image inspect --format '{{index .Config.Labels "dev.torchstack.owner"}}' "$id" 2>/dev/null || true)"
    grep -qxF "$owner" <<<"$owners" && continue
    /usr/bin/docker rmi -f "$id" >/dev/null 2>&1 && removed=$((removed + 1))
  done
  say "removed $removed image(s) the tests built"
  /usr/bin/docker image prune -f --filter label=dev.torchstack.managed
}

if [ "$run_engine" = 1 ]; then
  export TORCHSTACK_E2E=1
  images_before="$(managed_images 2>/dev/null || true)"
  # A failed tier leaves no image behind either: the clean-up runs on the way out, before the summary.
  trap 'rc=$?; engine_clean_up "$images_before" >&2 || true; summary "$rc"' EXIT
  step "unit and engine tiers" node_modules/.bin/vitest run
  trap summary EXIT
  step "engine clean-up" engine_clean_up "$images_before"
else
  unset TORCHSTACK_E2E
  step "unit tier" node_modules/.bin/vitest run --project unit
fi
current=""
