#!/usr/bin/env bash
# Installs the viewer's toolchain from registries only (crates.io, npm, Debian; never GitHub),
# skipping every piece already present at the right version (docs: toolchain.md §1):
# chromium (apt), the wasm32 target, npm packages (wasm-opt from binaryen 132, playwright-core),
# trunk 0.22.1, and wasm-bindgen-cli at the version Cargo.lock pins.
# A fresh machine takes about 11 minutes (trunk compiles); a warm one about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock (trunk checks it).
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
  echo "setup-web-toolchain: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "setup-web-toolchain: installing chromium (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# npm keeps a copy of the lock it installed; reinstall whenever package-lock.json differs.
if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null &&
  ! node -e 'const a=require("./package-lock.json").packages, b=require("./node_modules/.package-lock.json").packages; for (const k of Object.keys(a)) if (k && (!b[k] || b[k].version !== a[k].version)) process.exit(1)' 2>/dev/null; then
  echo "setup-web-toolchain: npm ci"
  npm ci --no-audit --no-fund
fi
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  echo "setup-web-toolchain: installing trunk $TRUNK_VERSION (about 8 minutes)"
  # trunk 0.22.x declares rust-version 1.96.1 but builds and runs fine with 1.95.
  # No `update_check` feature: no crates.io query at every start.
  cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version \
    --no-default-features --features rustls
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  echo "setup-web-toolchain: installing wasm-bindgen-cli $WB_VERSION (about 2 minutes)"
  # Its own Cargo.lock names a webpki-roots release the registry no longer serves: fall back
  # to resolving afresh when --locked fails.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked ||
    cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
trunk --version
wasm-bindgen --version
wasm-opt --version
chromium --version 2>/dev/null | grep -v 'unexpected operator' || true
