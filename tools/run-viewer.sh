#!/usr/bin/env bash
# Sets up what is missing, builds the viewer and tapedeck (which embeds it), then serves the
# sample cassettes bundled in static/samples on http://127.0.0.1:7777 and opens a browser when
# one is available. Extra arguments go to `tapedeck serve` (e.g. --port 9000, another folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
(cd web && trunk build --release)
cargo build --release --locked -p tapedeck_cli
dir=static/samples
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then dir=$1; shift; fi
exec target/release/tapedeck serve "$dir" --open "$@"
