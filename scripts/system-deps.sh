#!/usr/bin/env bash
# System packages the tests need (Debian): chromium for browser tests, postgresql for the PostgreSQL suites,
# nodejs/npm for the offline map and JS assets, a C compiler and the Python headers for the optional compiled
# (mypyc) build of the extractor, sqlite3 (the command-line shell: the scale benchmark's export baseline). Installs only
# what is missing.
# usage: scripts/system-deps.sh [npm|sqlite3|all]   (npm: only what `make demo` needs; sqlite3: only the shell;
# all: what `make test` and `make bench` need too)
set -euo pipefail
need=()
[ "${1:-all}" = sqlite3 ] || command -v npm >/dev/null 2>&1 || need+=(npm)
command -v sqlite3 >/dev/null 2>&1 || [ "${1:-all}" = npm ] || need+=(sqlite3)
if [ "${1:-all}" = all ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v cc >/dev/null 2>&1 || need+=(gcc)
  "${PY:-python3}" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || need+=(python3-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
