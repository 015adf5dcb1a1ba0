#!/usr/bin/env bash
# Durable enqueue through the HTTP API vs. the cheapest request the same daemon answers.
#
#   bench/daemon/run.sh [SECONDS] [CONNECTIONS]     (4 s, 64 connections, ROUNDS=7 by default)
#
# Starts a release `outreachd serve` on a loopback port with a fresh data folder on disk, then
# runs wrk against it, alternating:
#   1. POST /v1/messages: one trigger per request, each with its own Idempotency-Key, answered
#      202 only after the group commit holding it has been fsynced (trigger.lua: a Lua call per
#      request builds it);
#   2. the same without a key (trigger-static.lua: one fixed request that wrk resends, as it does
#      for the reference; each is still a new durable enqueue);
#   3. GET /healthz: no body, no store (the reference: what the HTTP layer alone sustains).
# BENCH_ONLY=post runs loads 1 and 3 only, without the disk probes (bench/compare.sh).
#   4. POST /v1/messages with twins (trigger-twins.lua): trigger.lua's requests, but the wrk threads
#      go in pairs sending the same keys and bodies in the same order, so half the requests repeat
#      the key of one in flight (a client retrying on timeout, an at-least-once webhook source).
#      Reported as a ratio of load 1's requests/s in the same round (goal >= 0.8); needs an even
#      THREADS (the twins of a key are sent by two threads).
# The triggers carry a send_at a day ahead so the channel workers stay idle and the numbers
# are the API's, not the outbox's. Prints requests/s and p99 latency of every round, the medians,
# and the median of the per-round ratios.
# Goals: ratio >= 0.25, POST p99 < 20 ms; with twins, >= 0.8 of the unique-key requests/s.
#
# Latency is reported twice: wrk's p99 and the daemon's own `outreach_enqueue_duration_seconds`
# (monotonic clock, from the trigger reaching the group committer to its answer being released).
# wrk 4 corrects its latencies for coordinated omission: after the run, every request slower than
# the mean interval between two requests on a connection adds synthetic samples (as a client
# sending at a fixed rate would have seen during that stall). Its p99 therefore follows the
# longest stalls, not the typical request: one 200 ms stall in a 4 s round is enough to push it
# past 20 ms. The stalls come from the disk: the column "slowest fsync" is the bucket of the
# slowest write-ahead-log fsync of the round (`outreach_flush_duration_seconds`), for which every
# trigger in flight waits; bench/daemon/fsync.py measures the disk alone before and after.
# When h2load (Debian: nghttp2-client) is installed, every round also runs it, a client that
# reports each request's own latency (no correction), with the same loads: POST of one trigger
# body without an Idempotency-Key (h2load cannot vary headers; each request is still a new
# durable enqueue) and GET /healthz. Its ratio and p99 are printed as a second opinion.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-4}
CONNS=${2:-64}
ROUNDS=${ROUNDS:-7}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
[ -n "${OUTREACHD:-}" ] || swift build -c release --product outreachd >/dev/null
BIN=${OUTREACHD:-$(swift build -c release --show-bin-path)/outreachd}

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
per_ip_connections = 0      # every wrk connection comes from 127.0.0.1
[channels.outbox]
type = "outbox"
CONF
# Binaries from before per_ip_connections (bench/compare.sh runs old ones) refuse it and had no such limit.
if [[ $("$BIN" --config "$WORK/outreachd.conf" check 2>&1) == *per_ip_connections* ]]; then
    sed -i '/^per_ip_connections/d' "$WORK/outreachd.conf"
fi
"$BIN" --config "$WORK/outreachd.conf" serve 2>"$WORK/daemon.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

SEND_AT=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
printf '{"template":"welcome","to":[{"email":"bench@example.org","name":"Bench"}],"data":{"n":1},"send_at":"%s"}' "$SEND_AT" > "$WORK/body.json"
run() { wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency "$@"; }
rps() { awk '/^Requests\/sec:/ {print $2}' <<<"$1"; }
p99() { awk '$1=="99%" {print $2}' <<<"$1"; }
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }' <<<"$1"; }
errors() { awk '/Non-2xx|Socket errors/' <<<"$1"; }
# One of the daemon's histograms: "le count" lines, cumulative.
buckets() { curl -fs "http://127.0.0.1:$PORT/metrics" | awk -F'[{}" ]+' -v m="${1:-outreach_enqueue_duration_seconds}_bucket" '$1 == m {print $3, $NF}'; }
# Upper bound (ms) of the bucket holding the slowest observation between two snapshots.
slowest() { join <(echo "$1") <(echo "$2") | sort -g | awk '{d[NR]=$3-$2; le[NR]=$1} END { n=d[NR]; for (i=1;i<=NR;i++) if (d[i] >= n) { v = (le[i]=="+Inf") ? "inf" : le[i]*1000; print v; exit } }'; }
# Upper bound (ms) of the bucket holding the 99th percentile of what was observed between two snapshots.
server_p99() { join <(echo "$1") <(echo "$2") | sort -g | awk '{d[NR]=$3-$2; le[NR]=$1} END { n=d[NR]; for (i=1;i<=NR;i++) if (d[i] >= 0.99*n) { v = (le[i]=="+Inf") ? "inf" : le[i]*1000; print v; exit } }'; }
median() { sort -g | awk '{a[NR]=$1} END { print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'; }
# h2load METHOD-ARGS… → "requests/s p99-ms" from its per-request log (start, status, µs).
h2() {
    rm -f "$WORK/h2.log"
    h2load --h1 -t"$THREADS" -c"$CONNS" -D "$SECONDS_PER_RUN" --log-file="$WORK/h2.log" "$@" >/dev/null 2>&1
    local n bad p99
    n=$(wc -l < "$WORK/h2.log")
    [ "$n" -gt 0 ] || { echo "0 0"; return; }
    bad=$(awk -F'\t' '$2 !~ /^2/' "$WORK/h2.log" | wc -l)
    p99=$(cut -f3 "$WORK/h2.log" | sort -n | awk -v k=$(( n * 99 / 100 + 1 )) 'NR == k { printf "%.2f", $1 / 1000 }')
    awk -v n="$n" -v s="$SECONDS_PER_RUN" -v p="$p99" -v b="$bad" 'BEGIN { printf "%.0f %s%s\n", n / s, p, (b > 0 ? " (" b " non-2xx)" : "") }'
}
HAVE_H2=$(command -v h2load >/dev/null && echo 1 || echo 0)
HAVE_TWINS=$(( THREADS % 2 == 0 ))
# BENCH_ONLY=post (bench/compare.sh): only load 1 and its /healthz reference, no disk probes.
ONLY_POST=$([ "${BENCH_ONLY:-}" = post ] && echo 1 || echo 0)
if [ "$ONLY_POST" = 1 ]; then HAVE_H2=0; HAVE_TWINS=0; fi
[ "$HAVE_TWINS" = 1 ] || echo "THREADS=$THREADS is odd: the twin case needs pairs of threads and is skipped" >&2
# Warm-up (page cache, SQLite file growth).
wrk -t1 -c8 -d2s -s bench/daemon/trigger.lua "http://127.0.0.1:$PORT/v1/messages" -- "$TOKEN" "$SEND_AT" >/dev/null

# The VM's speed drifts from minute to minute, so the two loads alternate, ROUNDS times each, and
# the medians are compared; every round is printed too.
echo "machine: $(nproc) cores; wrk -t$THREADS -c$CONNS -d${SECONDS_PER_RUN}s x $ROUNDS rounds; data on $(df --output=source "$WORK" | tail -1)"
# The disk alone, before and after: a disk that stalls its fsyncs stalls every group commit.
[ "$ONLY_POST" = 1 ] || echo "disk before (fsync.py, 5 s): $(python3 bench/daemon/fsync.py "$WORK" 5)"
printf "%-7s %-30s %12s %10s %14s %18s\n" "round" "" "requests/s" "p99 ms" "daemon p99 ms" "slowest fsync ms"
: > "$WORK/post" ; : > "$WORK/health" ; : > "$WORK/ratio" ; : > "$WORK/server" ; : > "$WORK/h2" ; : > "$WORK/ratio-static"
: > "$WORK/twins" ; : > "$WORK/ratio-twins" ; : > "$WORK/server-twins"
for r in $(seq "$ROUNDS"); do
    B0=$(buckets); F0=$(buckets outreach_flush_duration_seconds)
    POST=$(run -s bench/daemon/trigger.lua "http://127.0.0.1:$PORT/v1/messages" -- "$TOKEN" "$SEND_AT")
    B1=$(buckets); F1=$(buckets outreach_flush_duration_seconds)
    if [ "$HAVE_TWINS" = 1 ]; then
        TWINS=$(run -s bench/daemon/trigger-twins.lua "http://127.0.0.1:$PORT/v1/messages" -- "$TOKEN" "$SEND_AT")
        B2=$(buckets)
        errors "$TWINS"
    fi
    if [ "$ONLY_POST" = 1 ]; then
        STATIC=$POST
    else
        STATIC=$(run -s bench/daemon/trigger-static.lua "http://127.0.0.1:$PORT/v1/messages" -- "$TOKEN" "$SEND_AT")
    fi
    HEALTH=$(run "http://127.0.0.1:$PORT/healthz")
    errors "$POST"; errors "$STATIC"; errors "$HEALTH"
    SP99=$(server_p99 "$B0" "$B1")
    FSYNC=$(slowest "$F0" "$F1")
    printf "%-7s %-30s %12s %10s %14s %18s\n" "$r" "POST /v1/messages (durable)" "$(rps "$POST")" "$(ms "$(p99 "$POST")")" "<= $SP99" "<= $FSYNC"
    if [ "$HAVE_TWINS" = 1 ]; then
        TP99=$(server_p99 "$B1" "$B2")
        printf "%-7s %-30s %12s %10s %14s\n" "$r" "POST, half twins" "$(rps "$TWINS")" "$(ms "$(p99 "$TWINS")")" "<= $TP99"
        echo "$(rps "$TWINS") $(ms "$(p99 "$TWINS")")" >> "$WORK/twins"
        echo "$TP99" >> "$WORK/server-twins"
        awk -v a="$(rps "$TWINS")" -v b="$(rps "$POST")" 'BEGIN { printf "%.3f\n", a / b }' >> "$WORK/ratio-twins"
    fi
    printf "%-7s %-30s %12s %10s\n" "$r" "POST, no key (static)" "$(rps "$STATIC")" "$(ms "$(p99 "$STATIC")")"
    printf "%-7s %-30s %12s %10s\n" "$r" "GET /healthz (reference)" "$(rps "$HEALTH")" "$(ms "$(p99 "$HEALTH")")"
    awk -v a="$(rps "$STATIC")" -v b="$(rps "$HEALTH")" 'BEGIN { printf "%.3f\n", a / b }' >> "$WORK/ratio-static"
    echo "$(rps "$POST") $(ms "$(p99 "$POST")")" >> "$WORK/post"
    echo "$SP99" >> "$WORK/server"
    if [ "$HAVE_H2" = 1 ]; then
        H2P=$(h2 -d "$WORK/body.json" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$PORT/v1/messages")
        H2H=$(h2 "http://127.0.0.1:$PORT/healthz")
        printf "%-7s %-30s %12s %10s\n" "$r" "h2load POST (no key)" "${H2P%% *}" "${H2P#* }"
        printf "%-7s %-30s %12s %10s\n" "$r" "h2load GET /healthz" "${H2H%% *}" "${H2H#* }"
        echo "${H2P%% *} ${H2H%% *} ${H2P#* }" >> "$WORK/h2"
    fi
    echo "$(rps "$HEALTH") $(ms "$(p99 "$HEALTH")")" >> "$WORK/health"
    awk -v a="$(rps "$POST")" -v b="$(rps "$HEALTH")" 'BEGIN { printf "%.3f\n", a / b }' >> "$WORK/ratio"
done
METRICS=$(curl -fs "http://127.0.0.1:$PORT/metrics")
BATCHES=$(awk '/^outreach_commit_batch_size_count/ {print $2}' <<<"$METRICS")
REQS=$(awk '/^outreach_commit_batch_size_sum/ {print $2}' <<<"$METRICS")
QUEUED=$(awk '/^outreach_deliveries\{state="queued"\}/ {print $2}' <<<"$METRICS")
TWINS_MEMORY=$(awk '/^outreach_idempotent_twins_total/ {print $2}' <<<"$METRICS")
SLOW_PATH=$(awk '/^outreach_commit_slow_path_total/ {print $2}' <<<"$METRICS")

printf "%-7s %-30s %12s %10s\n" "median" "POST /v1/messages (durable)" "$(cut -d' ' -f1 "$WORK/post" | median)" "$(cut -d' ' -f2 "$WORK/post" | median)"
printf "%-7s %-30s %12s %10s\n" "median" "GET /healthz (reference)" "$(cut -d' ' -f1 "$WORK/health" | median)" "$(cut -d' ' -f2 "$WORK/health" | median)"
echo "ratio POST/healthz per round: $(tr '\n' ' ' < "$WORK/ratio")"
echo "ratio POST/healthz, median: $(median < "$WORK/ratio") (goal >= 0.25); POST p99, worst round: $(cut -d' ' -f2 "$WORK/post" | sort -g | tail -1) ms by wrk, <= $(sort -g "$WORK/server" | tail -1) ms by the daemon (goal < 20 ms)"
echo "ratio POST without key/healthz per round: $(tr '\n' ' ' < "$WORK/ratio-static")"
echo "ratio POST without key/healthz, median: $(median < "$WORK/ratio-static")"
if [ -s "$WORK/twins" ]; then
    printf "%-7s %-30s %12s %10s\n" "median" "POST, half twins" "$(cut -d' ' -f1 "$WORK/twins" | median)" "$(cut -d' ' -f2 "$WORK/twins" | median)"
    echo "ratio twins/unique keys per round: $(tr '\n' ' ' < "$WORK/ratio-twins")"
    echo "ratio twins/unique keys, median: $(median < "$WORK/ratio-twins") (goal >= 0.8); twins p99, worst round: $(cut -d' ' -f2 "$WORK/twins" | sort -g | tail -1) ms by wrk, <= $(sort -g "$WORK/server-twins" | tail -1) ms by the daemon"
    echo "twins answered from the first's outcome (not written): ${TWINS_MEMORY:-?}; group commits redone on the slow path: ${SLOW_PATH:-?}"
fi
if [ -s "$WORK/h2" ]; then
    echo "h2load: ratio POST/healthz per round: $(awk '{printf "%.3f ", $1 / $2}' "$WORK/h2")"
    echo "h2load: ratio median: $(awk '{printf "%.3f\n", $1 / $2}' "$WORK/h2" | median); POST p99, worst round: $(awk '{print $3}' "$WORK/h2" | sort -g | tail -1) ms"
fi
awk -v n="$REQS" -v b="$BATCHES" 'BEGIN { if (b > 0) printf "group commit: %d enqueues in %d transactions, %.1f per commit\n", n, b, n / b }'
echo "deliveries queued on disk: $QUEUED"
[ "$ONLY_POST" = 1 ] || echo "disk after (fsync.py, 5 s): $(python3 bench/daemon/fsync.py "$WORK" 5)"
