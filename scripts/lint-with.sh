#!/usr/bin/env bash
# Runs one of the Debian linters inside `npm test`: shellcheck over every tracked *.sh, or
# flake8 over every *.py. When the linter is missing it is installed from Debian if we are
# root (scripts/apt-ensure.sh); a non-root machine without it gets one loud line naming the
# install command, and the step is skipped rather than failing the whole test command.
# Usage: bash scripts/lint-with.sh shellcheck|flake8
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${1:?usage: lint-with.sh shellcheck|flake8}"
case "$tool" in
  shellcheck) package=shellcheck ;;
  flake8) package=flake8 ;;
  *) echo "lint-with.sh: unknown linter '$tool' (shellcheck or flake8)" >&2; exit 2 ;;
esac
if ! command -v "$tool" >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    bash scripts/apt-ensure.sh "$package"
  else
    echo "SKIPPED: $tool is not installed, so this lint step did not run; install it with: sudo apt-get install -y $package" >&2
    exit 0
  fi
fi
if [ "$tool" = shellcheck ]; then
  git ls-files -z --cached --others --exclude-standard '*.sh' | xargs -0 shellcheck -x
else
  flake8 .
fi
