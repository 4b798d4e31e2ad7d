#!/usr/bin/env bash
# Issue 12, "CI runs it on a recorded bot session": starts the server on the shipped worlds with a
# throwaway database, records a short bot session (bots join, walk and push each other and the
# NPCs), stops the server gracefully (SIGTERM: rooms close, the world is snapshotted), then replays
# the world's whole journal with `npm run replay` and expects `N ticks verified` with N > 0.
# Fails on a divergence (exit 1), on bad arguments (2), or when the bots or the server fail; never
# on a timing.
#
#   bash loadtest/replay-check.sh [clients] [seconds]      (default 10 clients for 6 s, world docks)
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-10}"
seconds="${2:-6}"
world="${REPLAY_CHECK_WORLD:-docks}"
port="${REPLAY_CHECK_PORT:-2581}"
tmp="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
export DATABASE_PATH="$tmp/replay-check.sqlite"
export LOG_LEVEL=warn
PORT="$port" ADMIN_PASSWORD="replay-check-$RANDOM$RANDOM" node --import tsx src/server/main.ts > "$tmp/server.log" 2>&1 &
server=$!
up=""
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:$port/__healthcheck').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then up=1; break; fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
[ -n "$up" ] || { echo "replay-check: the server did not start"; cat "$tmp/server.log"; exit 1; }

node loadtest/bots.mjs --clients "$clients" --seconds "$seconds" --endpoint "ws://127.0.0.1:$port" --world "$world"

kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
[ "$status" -eq 0 ] || { echo "replay-check: the server exited with $status on SIGTERM"; cat "$tmp/server.log"; exit 1; }

# The tool reads the same environment as the server: DATABASE_PATH (exported above), DATA_DIR (default data/).
code=0
out="$(npm run --silent replay -- --world "$world")" || code=$?
echo "$out"
[ "$code" -eq 0 ] || { echo "replay-check: npm run replay exited with $code"; exit "$code"; }
echo "$out" | grep -Eq '^[1-9][0-9]* ticks verified' || { echo "replay-check: expected 'N ticks verified' with N > 0"; exit 1; }
