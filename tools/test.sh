#!/usr/bin/env bash
# Runs every check and test of the repository: formatting, lints (native and wasm), core purity,
# unit/integration/property/golden tests, doc tests, benchmarks compile, core under wasm, the
# viewer build and its browser tests. Installs missing tools first (tools/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check
step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32: core and web)"
cargo clippy -p tapedeck_core -p tapedeck_web --target wasm32-unknown-unknown --locked -- -D warnings
step "core stays pure"
bash tools/check-core-purity.sh
step "tests"
cargo test --workspace --locked
step "doc tests"
cargo test --workspace --doc --locked
step "benchmarks compile"
cargo bench --workspace --no-run --locked
step "web: core under wasm, viewer build, browser tests"
bash tools/test-web.sh
step "all checks passed"
