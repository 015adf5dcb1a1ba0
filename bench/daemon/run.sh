#!/usr/bin/env bash
# Durable enqueue through the HTTP API vs. the cheapest request the same daemon answers.
#
#   bench/daemon/run.sh [SECONDS] [CONNECTIONS]
#
# Starts a release `outreachd serve` on a loopback port with a fresh data folder on disk
# (SQLite WAL, synchronous=FULL: every 202 is fsynced), then runs wrk twice against it:
#   1. POST /v1/messages: one trigger per request, each with its own Idempotency-Key, answered
#      202 only after the group committer's transaction is on disk;
#   2. GET /healthz: no body, no store (the reference: what the HTTP layer alone sustains).
# The triggers carry a send_at a day ahead so the channel workers stay idle and the numbers
# are the API's, not the outbox's. Prints requests/s, p99 latency and the ratio.
# Goals: ratio >= 0.25, POST p99 < 20 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10}
CONNS=${2:-64}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
swift build -c release --product outreachd >/dev/null
BIN=$(swift build -c release --show-bin-path)/outreachd

WORK=$(mktemp -d "${BENCH_DIR:-$PWD/.build}/bench-daemon.XXXXXX")
PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
TOKEN=bench-$RANDOM$RANDOM
echo "$TOKEN" > "$WORK/tokens"
cat > "$WORK/outreachd.conf" <<CONF
data_dir = "$WORK/data"
templates_dir = "$PWD/templates"
[server]
listen = "127.0.0.1:$PORT"
tokens_file = "tokens"
[channels.outbox]
type = "outbox"
CONF
"$BIN" --config "$WORK/outreachd.conf" serve 2>"$WORK/daemon.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

SEND_AT=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
run() { wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency "$@"; }
# Warm-up (page cache, SQLite file growth).
wrk -t1 -c8 -d2s -s bench/daemon/trigger.lua "http://127.0.0.1:$PORT/v1/messages" -- "$TOKEN" "$SEND_AT" >/dev/null
POST=$(run -s bench/daemon/trigger.lua "http://127.0.0.1:$PORT/v1/messages" -- "$TOKEN" "$SEND_AT")
HEALTH=$(run "http://127.0.0.1:$PORT/healthz")

rps() { awk '/^Requests\/sec:/ {print $2}' <<<"$1"; }
p99() { awk '$1=="99%" {print $2}' <<<"$1"; }
errors() { awk '/Non-2xx|Socket errors/' <<<"$1"; }
METRICS=$(curl -fs "http://127.0.0.1:$PORT/metrics")
BATCHES=$(awk '/^outreach_commit_batch_size_count/ {print $2}' <<<"$METRICS")
REQS=$(awk '/^outreach_commit_batch_size_sum/ {print $2}' <<<"$METRICS")
QUEUED=$(awk '/^outreach_deliveries\{state="queued"\}/ {print $2}' <<<"$METRICS")

echo "machine: $(nproc) cores; wrk -t$THREADS -c$CONNS -d${SECONDS_PER_RUN}s; data on $(df --output=source "$WORK" | tail -1)"
printf "%-34s %12s %10s\n" "" "requests/s" "p99"
printf "%-34s %12s %10s\n" "POST /v1/messages (durable)" "$(rps "$POST")" "$(p99 "$POST")"
printf "%-34s %12s %10s\n" "GET /healthz (reference)" "$(rps "$HEALTH")" "$(p99 "$HEALTH")"
errors "$POST"
errors "$HEALTH"
awk -v a="$(rps "$POST")" -v b="$(rps "$HEALTH")" 'BEGIN { printf "ratio POST/healthz: %.3f (goal >= 0.25)\n", a / b }'
awk -v n="$REQS" -v b="$BATCHES" 'BEGIN { if (b > 0) printf "group commit: %d enqueues in %d transactions, %.1f per commit\n", n, b, n / b }'
echo "deliveries queued on disk: $QUEUED"
