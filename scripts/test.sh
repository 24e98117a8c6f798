#!/usr/bin/env bash
# The whole suite: starts PostgreSQL for the store/API suites, runs pytest on 2 workers, stops PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
if url=$(bash scripts/pg.sh start); then
  export SURVINDEX_TEST_PG_URL="$url"
  trap 'bash scripts/pg.sh stop' EXIT
else
  echo "warning: PostgreSQL could not be started; PostgreSQL tests will be skipped" >&2
fi
mkdir -p test-artifacts
"$BIN/python" -m pytest -n 2 --dist loadfile -p no:cacheprovider "$@"
