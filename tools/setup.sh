#!/usr/bin/env bash
# Installs what building and testing Tapedeck needs, skipping whatever is already there at the
# right version: a fresh machine takes about 12 minutes (trunk compiles), a warm one seconds.
# Only package registries are used (crates.io, npm, Debian); nothing is fetched from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
# The web viewer's toolchain: wasm32 target, trunk, wasm-bindgen-cli, wasm-opt, chromium.
bash tools/setup-web-toolchain.sh
