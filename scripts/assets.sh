#!/usr/bin/env bash
# Vendor the report's static assets from the npm registry (no CDN at run time).
# Installs assets/package.json into build/assets, copies what the report uses into
# src/survindex/report/static/vendor/ and touches its .stamp.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/assets"
VENDOR="$ROOT/src/survindex/report/static/vendor"
command -v npm >/dev/null || { echo "Error: npm not found: the report's map data comes from the npm package world-atlas. Install Node.js/npm (apt-get install npm) and re-run." >&2; exit 1; }
mkdir -p "$BUILD" "$VENDOR/world-atlas"
cp "$ROOT/assets/package.json" "$BUILD/package.json"
if [ -f "$ROOT/assets/package-lock.json" ]; then
  cp "$ROOT/assets/package-lock.json" "$BUILD/package-lock.json"
  (cd "$BUILD" && npm ci --no-audit --no-fund --loglevel=error)
else
  (cd "$BUILD" && npm install --no-audit --no-fund --loglevel=error)
  cp "$BUILD/package-lock.json" "$ROOT/assets/package-lock.json"
fi
for f in countries-50m.json countries-110m.json LICENSE README.md; do
  cp "$BUILD/node_modules/world-atlas/$f" "$VENDOR/world-atlas/$f"
done
touch "$VENDOR/.stamp"
echo "vendored assets in $VENDOR"
