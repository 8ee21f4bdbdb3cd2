#!/usr/bin/env bash
# The viewer's checks, in order: core's tests compiled to wasm (Node runner), the release build
# of the viewer (web/dist, plus web/dist/tapedeck.html), then the browser tests in headless
# Chromium. Exits non-zero on the first failure. Run tools/setup-web-toolchain.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

step() { printf '\n==> %s\n' "$*"; }

step "core under wasm32 (wasm-bindgen-test, Node)"
# No -q: the wasm runner rejects --quiet.
# Release, as the viewer and the redaction worker ship.
cargo test --release -p tapedeck_core --target wasm32-unknown-unknown --test wasm --locked

step "viewer: trunk build --release"
(cd web && trunk build --release)
test -f web/dist/index.html
test -f web/dist/tapedeck.html
test -f web/dist/redact-worker.js
# The viewer's wasm (loaded when the page opens) and the redaction worker's (loaded when the
# Redact view first runs), each against its gzip budget.
check_size() {
  gz=$(gzip -9 -c "$1" | wc -c)
  echo "$2: $(wc -c <"$1") bytes, $gz gzipped (budget $3)"
  if [ "$gz" -gt "$3" ]; then
    echo "$2 is over its gzip budget" >&2
    exit 1
  fi
}
check_size "$(ls web/dist/tapedeck_web-*_bg.wasm)" "viewer wasm" 500000
check_size web/dist/tapedeck_redact_worker_bg.wasm "redaction worker wasm" 700000

step "viewer: browser tests (headless Chromium)"
# The tests compare the viewer with `tapedeck stats`: build the CLI first.
cargo build -p tapedeck_cli --locked
node --test --test-concurrency=1 web/e2e/
