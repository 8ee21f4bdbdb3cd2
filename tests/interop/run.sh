#!/usr/bin/env bash
# Interop with Python Timetracer 1.6.0, end to end:
#   1. a venv with timetracer==1.6.0, fastapi, uvicorn and httpx from PyPI;
#   2. Tapedeck's example service (tower layer + reqwest middleware) records GET /users/42,
#      whose handler calls a local upstream;
#   3. the upstream is stopped, and a FastAPI app using httpx runs under Timetracer with
#      TIMETRACER_MODE=replay TIMETRACER_CASSETTE=<that cassette>: it must answer with the
#      recorded upstream data, without any network call;
#   4. Tapedeck's own replay mode answers the same from the same cassette.
# Everything listens on 127.0.0.1. Exit status 0 = interop holds.
#
# Environment: INTEROP_VENV (reuse a venv), CAPTURE_SERVICE_BIN (a built example binary),
# PYTHON (default python3), KEEP_WORK=1 (keep the temporary folder).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/interop"
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tapedeck-interop.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

say() { printf 'interop: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

command -v "$PYTHON" >/dev/null || fail "$PYTHON not found (Python 3.9+ is required)"

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # port, seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if "$PYTHON" -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$1)))" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

get() { # url -> body on stdout
  "$PYTHON" - "$1" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=20) as r:
    sys.stdout.write(r.read().decode())
PY
}

# 1. Python side.
VENV=${INTEROP_VENV:-$WORK/venv}
if [ ! -x "$VENV/bin/python" ]; then
  say "creating venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("timetracer") != "1.6.0")' 2>/dev/null; then
  say "pip install timetracer==1.6.0 fastapi uvicorn httpx"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check timetracer==1.6.0 fastapi uvicorn httpx
fi

# 2. Record with Tapedeck's middleware.
BIN=${CAPTURE_SERVICE_BIN:-}
if [ -z "$BIN" ]; then
  say "building the example service"
  (cd "$ROOT" && cargo build --quiet -p tapedeck_cli --example capture_service --features capture)
  TARGET_DIR=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  BIN="$TARGET_DIR/debug/examples/capture_service"
fi
[ -x "$BIN" ] || fail "no example binary at $BIN"

UP_PORT=$(free_port)
UPSTREAM="http://127.0.0.1:$UP_PORT"
"$PYTHON" "$HERE/upstream.py" "$UP_PORT" &
UP_PID=$!
PIDS+=("$UP_PID")
wait_port "$UP_PORT" 10 || fail "upstream did not start"

SVC_PORT=$(free_port)
CASSETTES="$WORK/cassettes"
TAPEDECK_MODE=record TAPEDECK_DIR="$CASSETTES" UPSTREAM_URL="$UPSTREAM" LISTEN="127.0.0.1:$SVC_PORT" \
  "$BIN" >"$WORK/record.out" 2>"$WORK/record.err" &
SVC_PID=$!
PIDS+=("$SVC_PID")
wait_port "$SVC_PORT" 30 || { cat "$WORK/record.err" >&2; fail "example service did not start"; }
RECORDED=$(get "http://127.0.0.1:$SVC_PORT/users/42")
say "recorded answer: $RECORDED"
kill "$SVC_PID"; wait "$SVC_PID" 2>/dev/null || true

CASSETTE=$(find "$CASSETTES" -name 'GET__users_42__*.json' | head -n 1)
[ -n "$CASSETTE" ] || fail "no cassette written under $CASSETTES"
say "cassette: $CASSETTE"

# 3. No upstream from here on: any real call fails with "connection refused".
kill "$UP_PID"; wait "$UP_PID" 2>/dev/null || true
if wait_port "$UP_PORT" 1; then fail "upstream still reachable"; fi

APP_PORT=$(free_port)
(cd "$HERE" && TIMETRACER_MODE=replay TIMETRACER_CASSETTE="$CASSETTE" UPSTREAM_URL="$UPSTREAM" \
  "$VENV/bin/python" -m uvicorn app:app --host 127.0.0.1 --port "$APP_PORT" --log-level warning) \
  >"$WORK/replay.out" 2>"$WORK/replay.err" &
APP_PID=$!
PIDS+=("$APP_PID")
wait_port "$APP_PORT" 60 || { cat "$WORK/replay.err" >&2; fail "FastAPI app did not start"; }
REPLAYED=$(get "http://127.0.0.1:$APP_PORT/users/42") || { cat "$WORK/replay.err" >&2; fail "replayed request failed"; }
say "Timetracer replay answer: $REPLAYED"
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true

"$PYTHON" - "$RECORDED" "$REPLAYED" <<'PY' || { cat "$WORK/replay.err" >&2; fail "answers differ"; }
import json, sys
recorded, replayed = (json.loads(a) for a in sys.argv[1:3])
expected = {"user": {"id": 42, "plan": "pro", "active": True}, "upstream_status": 200}
assert recorded == expected, f"recorded {recorded!r}"
assert replayed == expected, f"replayed {replayed!r}"
PY
grep -q 'timetracer replay GET /users/42 .*mocked=1 .*matched=OK' "$WORK/replay.err" \
  || { cat "$WORK/replay.err" >&2; fail "Timetracer did not report a mocked, matched replay"; }

# 4. Tapedeck's own replay of the same cassette.
SVC_PORT=$(free_port)
TAPEDECK_MODE=replay TIMETRACER_CASSETTE="$CASSETTE" UPSTREAM_URL="$UPSTREAM" LISTEN="127.0.0.1:$SVC_PORT" \
  "$BIN" >"$WORK/replay-rust.out" 2>"$WORK/replay-rust.err" &
SVC_PID=$!
PIDS+=("$SVC_PID")
wait_port "$SVC_PORT" 30 || fail "example service (replay) did not start"
OWN=$(get "http://127.0.0.1:$SVC_PORT/users/42")
kill "$SVC_PID"; wait "$SVC_PID" 2>/dev/null || true
[ "$OWN" = "$RECORDED" ] || fail "Tapedeck replay answered $OWN"

say "OK: recorded by Tapedeck, replayed by Timetracer 1.6.0 and by Tapedeck with no upstream"
