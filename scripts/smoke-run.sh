#!/usr/bin/env bash
# `make run` with the runtime dependencies only (no dev extras), in a venv of its own: the chat must
# answer GET / within 120 s. Catches a runtime import that only a dev or test dependency satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-runtime
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
make run VENV="$VENV" PORT="$PORT" >"$LOG" 2>&1 &
trap 'pkill -f -- "--port $PORT" || true; wait || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 240); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
    echo "smoke-run: make run (runtime dependencies only) serves on port $PORT"
    exit 0
  fi
  sleep 0.5
done
echo "smoke-run: make run did not serve within 120 s; its log:" >&2
tail -40 "$LOG" >&2
exit 1
