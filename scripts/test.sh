#!/usr/bin/env bash
# Runs every test: the domain rules, the API and engine on SQLite (and on PostgreSQL when
# TOILE_TEST_POSTGRES_URL is set), the CLI, the calendars, and the pages in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
# One build of the site for every test that needs it (end-to-end, budgets, Lighthouse): the
# release build, as deployed, with its compressed copies and the pinned wasm-opt.
export PATH="$PWD/tools/binaryen/node_modules/.bin:$PATH"
# The pages ask for /pkg/toile.wasm only when Leptos is compiled knowing the output name, as
# cargo-leptos does; the in-process servers of the tests must ask for the same bundle.
export LEPTOS_OUTPUT_NAME=toile
if [ -z "${TOILE_TEST_POSTGRES_URL:-}" ]; then
  echo "==> NOTE: TOILE_TEST_POSTGRES_URL is not set: PostgreSQL tests will be SKIPPED (each says so)."
  echo "          e.g. TOILE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test scripts/test.sh"
fi
packages=(-p toile-shared -p toile-server -p tests)
if [ -f server/calendar/Cargo.toml ]; then packages+=(-p toile-calendar); fi
# setup.sh installed schemathesis: the OpenAPI test must run, not say it is skipped.
export TOILE_SCHEMATHESIS_REQUIRED=1
# ...and aiosmtpd: the e-mail tests must send through a real SMTP server.
export TOILE_AIOSMTPD_REQUIRED=1
log=$(mktemp)
site_log=$(mktemp)
site=
# A failure while the site builds in the background stops that build too.
trap 'if [ -n "$site" ]; then kill "$site" 2>/dev/null || true; fi; rm -f "$log" "$site_log"' EXIT
# The site and the tests build side by side: each alone leaves a core idle for minutes (the
# bundle's link-time optimisation, the largest crates' single-threaded steps); together they
# keep both busy. They do not share a build directory (release, target/front, debug).
echo "==> building the site (release server and browser bundle) for the end-to-end tests, and the tests"
cargo leptos build --release --precompress >"$site_log" 2>&1 &
site=$!
cargo test "${packages[@]}" --no-run
cargo test -p toile-app --features ssr --tests --no-run
if ! wait "$site"; then
  cat "$site_log"
  echo "==> the site did not build"
  exit 1
fi
site=
tail -n 3 "$site_log"
echo "==> cargo test"
cargo test "${packages[@]}" --no-fail-fast -- --test-threads="${TEST_THREADS:-4}" 2>&1 | tee -a "$log"
echo "==> cargo test: the pages (server-side rendering and forms, on a fake backend)"
cargo test -p toile-app --features ssr --tests --no-fail-fast 2>&1 | tee -a "$log"
# One closing line for the whole run.
awk '/^test result:/ { p += $4; f += $6 } END { printf "%d passed, %d failed\n", p, f }' "$log"
