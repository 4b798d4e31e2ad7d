#!/usr/bin/env bash
# Starts the server on the shipped worlds with a throwaway database, runs a short bot load against
# it, and stops it. Fails when a bot could not join or received an error; never on a timing.
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-20}"
seconds="${2:-8}"
port="${SMOKE_PORT:-2580}"
tmp="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
PORT="$port" DATABASE_PATH="$tmp/smoke.sqlite" ADMIN_PASSWORD="smoke-admin-$RANDOM$RANDOM" LOG_LEVEL=warn \
  node --import tsx src/server/main.ts > "$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  node -e "fetch('http://127.0.0.1:$port/__healthcheck').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.5
done
node loadtest/bots.mjs --clients "$clients" --seconds "$seconds" --endpoint "ws://127.0.0.1:$port"
