#!/usr/bin/env bash
# Sets up and starts Toile on the embedded SQLite database, with demo data, at
# http://127.0.0.1:3000 (DATABASE_URL and TOILE_ADDR override both).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "==> building Toile (release: server and browser bundle)"
export PATH="$PWD/tools/binaryen/node_modules/.bin:$PATH"
cargo leptos build --release --precompress
export DATABASE_URL="${DATABASE_URL:-sqlite://data/toile.db}"
echo "==> demo data in $DATABASE_URL"
target/release/toile seed --demo
exec target/release/toile serve --addr "${TOILE_ADDR:-127.0.0.1:3000}"
