#!/usr/bin/env bash
# core is pure (ARCHITECTURE.md): no async runtime, network stack or browser bindings may sit
# under it, on any target.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='^(tokio|mio|hyper|axum|reqwest|web-sys|js-sys|wasm-bindgen|gloo[a-z-]*|getrandom) '
for target in x86_64-unknown-linux-gnu wasm32-unknown-unknown; do
  deps=$(cargo tree -p tapedeck_core -e normal --target "$target" --prefix none --locked | sort -u)
  if bad=$(grep -E "$banned" <<<"$deps"); then
    echo "core depends on crates it must not use ($target):" >&2
    echo "$bad" >&2
    exit 1
  fi
done
echo "core is pure: no runtime, network or browser crates under it"
