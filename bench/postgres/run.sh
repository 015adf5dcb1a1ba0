#!/usr/bin/env bash
# PostgreSQL benchmarks (issue 20), each on a throwaway cluster of its own (bench/postgres/cluster.sh):
#
#   queue     claim + complete of N deliveries (default 100,000) through the store
#             (`outreachd storage bench-queue`: DeliveryQueue.claim/complete, batches of BATCH = 256, one
#             connection, nothing sent) against pgbench -M extended -f queue.pgbench, the same statements
#             with the same parameters on one connection, on the same table refilled before every run.
#             Goal: ratio >= 0.5.
#   api       durable POST /v1/messages through `serve` on PostgreSQL against GET /healthz of the same
#             node (bench/daemon's wrk scripts, a unique Idempotency-Key per trigger). Reported.
#   campaign  CAMPAIGN_N newsletters (default 20,000) into Postfix's smtp-sink with 1, 2 and 3 `serve`
#             nodes on the one PostgreSQL, against one `serve` node on SQLite in the same rounds, with the
#             CPU seconds of the nodes, PostgreSQL and smtp-sink. Each node: max_connections = 4,
#             batch_size = CAMPAIGN_BATCH (default 256, `work`'s batch; serve's default is 4). Reported.
#
# Every part alternates what it compares over ROUNDS rounds (default 5) and prints every round, the
# medians with min–max and the load average.
# Usage: bench/postgres/run.sh [PARTS…]   (default: queue api campaign)
#        N=100000 BATCH=256 ROUNDS=5 CAMPAIGN_N=20000 API_SECONDS=4 API_CONNS=64 PG_FSYNC=on
#        OUTREACHD=path chooses the binary (default: the release build, built if it is missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
PARTS=${*:-queue api campaign}
N=${N:-100000}
BATCH=${BATCH:-256}
ROUNDS=${ROUNDS:-5}
CAMPAIGN_N=${CAMPAIGN_N:-20000}
bin=${OUTREACHD:-$PWD/.build/release/outreachd}
[ -x "$bin" ] || swift build -c release --product outreachd >/dev/null
command -v pgbench >/dev/null || { echo "pgbench not found: scripts/install-deps.sh --bench" >&2; exit 1; }
here=bench/postgres
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-pg-work.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    pg_stop_cluster || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
# shellcheck source=bench/postgres/cluster.sh
source "$here/cluster.sh"
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
load() { awk '{print $1, $2, $3}' /proc/loadavg; }
# CPU seconds (user + system) of the cluster: the postmaster, its live children and those it reaped.
pg_cpu() {
    local pm total=0 p
    pm=$(head -1 "$PG_DIR/data/postmaster.pid")
    total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
    for p in $(ps -o pid= --ppid "$pm"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
proc_cpu() { # PID… → CPU seconds (user + system) of these processes and their reaped children
    local total=0 p
    for p in "$@"; do
        total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
summary() { # label file-of-numbers → "median (min–max)"
    python3 - "$1" "$2" <<'PY'
import statistics, sys
xs = [float(l.split()[0]) for l in open(sys.argv[2]) if l.strip()]
fmt = (lambda x: f"{x:.3f}") if max(xs) < 10 else (lambda x: f"{x:,.0f}")
print(f"{sys.argv[1]}: median {fmt(statistics.median(xs))} ({fmt(min(xs))}–{fmt(max(xs))}), {len(xs)} rounds")
PY
}
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores," \
    "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), fsync=${PG_FSYNC:-on};" \
    "$(date -u '+%F %T UTC'), load $(load)"

conf() { # data-dir db port → a node's configuration
    cat <<CONF
data_dir = "$1"
templates_dir = "$PWD/templates"
default_locale = "en"
public_url = "https://outreach.example.org"
[storage]
url = "$(pg_url "$2")"
[server]
listen = "127.0.0.1:$3"
tokens_file = "$work/tokens"
per_ip_connections = 0
[sender]
from = "Connecting Friends <venner@sprogcenter.example>"
[channels.email]
type = "smtp"
url = "smtp://127.0.0.1:${SINK_PORT:-25}"
tls = "none"
max_connections = 4
batch_size = ${CAMPAIGN_BATCH:-256}
CONF
}
echo "bench-$RANDOM$RANDOM" > "$work/tokens"

queue_part() {
    pg_sql postgres -c "CREATE DATABASE queue"
    conf "$work/q" queue "$(free_port)" > "$work/q.conf"
    "$bin" --config "$work/q.conf" storage migrate >/dev/null
    pg_sql queue -v n="$N" -f "$here/fill.sql"
    local txs=$(( (N + BATCH - 1) / BATCH )) r
    : > "$work/q-ours"; : > "$work/q-ref"; : > "$work/q-ratio"; : > "$work/q-cpu"
    sent() { pg_sql queue -tA -c "SELECT count(*) FROM deliveries WHERE state = 'sent'"; }
    ours() {
        refill
        local c0 out c1
        c0=$(pg_cpu)
        out=$(/usr/bin/time -f "cpu=%U+%S" "$bin" --config "$work/q.conf" storage bench-queue --channel bench \
            --batch "$BATCH" 2>&1)
        sleep 0.5; c1=$(pg_cpu)
        [ "$(sent)" = "$N" ] || { echo "ours: $(sent) of $N sent" >&2; exit 1; }
        awk -v o="$out" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" 'BEGIN {
            gsub(/\n/, " ", o); split(o, f, /[ =]/); for (i = 1; i < length(f); i += 2) v[f[i]] = f[i + 1]
            split(v["cpu"], u, "+"); printf "%s %s %s %.2f\n", v["per_second"], v["seconds"], c, u[1] + u[2] }'
    }
    # The table as a campaign's fan-out leaves it. The pauses let the server reap a session that
    # ended: its CPU is counted (pg_cpu) once the postmaster has waited for it.
    refill() { pg_sql queue -f "$here/refill.sql"; sleep 0.5; }
    ref() {
        refill
        local now out c0 c1
        now=$(date +%s%3N)
        c0=$(pg_cpu)
        out=$(/usr/bin/time -f "cpu=%U+%S" pgbench -n -M extended -c 1 -t "$txs" -f "$here/queue.pgbench" \
            -h "$PG_DIR" -p "$PG_PORT" -U postgres \
            -D now="$now" -D lease=$((now + 300000)) -D owner=pgbench-bench -D channels='{bench}' -D batch="$BATCH" \
            queue 2>&1) || { echo "$out" >&2; exit 1; }
        sleep 0.5; c1=$(pg_cpu)
        [ "$(sent)" = "$N" ] || { echo "pgbench: $(sent) of $N sent" >&2; echo "$out" >&2; exit 1; }
        # tps excludes the connection's set-up, as ours excludes opening the store.
        awk -v n="$N" -v t="$txs" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" \
            '/^tps = / { s = t / $3 } /^cpu=/ { split(substr($1, 5), u, "+") }
             END { printf "%.0f %.3f %s %.2f\n", n / s, s, c, u[1] + u[2] }' <<<"$out"
    }
    echo "== queue: claim + complete of $N deliveries, batches of $BATCH, one connection; $ROUNDS rounds"
    printf "%-6s %-32s %12s %9s %14s %14s\n" round "" deliveries/s seconds "postgres CPU s" "client CPU s"
    for r in $(seq "$ROUNDS"); do
        local a b
        if [ $((r % 2)) = 1 ]; then a=$(ours); b=$(ref); else b=$(ref); a=$(ours); fi
        printf "%-6s %-32s %12s %9s %14s %14s\n" "$r" "outreachd storage bench-queue" $a
        printf "%-6s %-32s %12s %9s %14s %14s\n" "$r" "pgbench -f queue.pgbench" $b
        echo "${a%% *}" >> "$work/q-ours"; echo "${b%% *}" >> "$work/q-ref"
        awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { printf "%.3f\n", a / b }' >> "$work/q-ratio"
        # CPU seconds for the same work (server + client): steadier than the wall clock on a busy machine.
        awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
            printf "%.3f\n", (y[3] + y[4]) / (x[3] + x[4]) }' >> "$work/q-cpu"
    done
    summary "store deliveries/s" "$work/q-ours"
    summary "pgbench deliveries/s" "$work/q-ref"
    echo "ratio per round: $(tr '\n' ' ' < "$work/q-ratio")"
    summary "ratio store/pgbench (goal >= 0.5)" "$work/q-ratio"
    echo "CPU ratio per round, pgbench's CPU s / ours (server + client): $(tr '\n' ' ' < "$work/q-cpu")"
    summary "CPU ratio" "$work/q-cpu"
    echo "load $(load)"
}

api_part() {
    command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
    pg_sql postgres -c "CREATE DATABASE api"
    local port secs=${API_SECONDS:-4} conns=${API_CONNS:-64} token send_at r
    port=$(free_port)
    token=$(cat "$work/tokens")
    conf "$work/a" api "$port" > "$work/a.conf"
    "$bin" --config "$work/a.conf" storage migrate >/dev/null
    "$bin" --config "$work/a.conf" serve 2>"$work/a.log" & pids+=($!)
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    send_at=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
    run() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$@"; }
    rps() { awk '/^Requests\/sec:/ {print $2}' <<<"$1"; }
    p99() { awk '$1=="99%" {print $2}' <<<"$1"; }
    bad() { awk '/Non-2xx|Socket errors/' <<<"$1"; }
    wrk -t1 -c8 -d2s -s bench/daemon/trigger.lua "http://127.0.0.1:$port/v1/messages" -- "$token" "$send_at" >/dev/null
    : > "$work/a-post"; : > "$work/a-health"; : > "$work/a-ratio"
    echo "== api: durable POST /v1/messages (a key per trigger) vs GET /healthz," \
        "wrk -t2 -c$conns -d${secs}s; $ROUNDS rounds"
    printf "%-6s %-30s %12s %10s %14s\n" round "" requests/s "p99" "postgres CPU s"
    for r in $(seq "$ROUNDS"); do
        local post health c0 c1 c2
        c0=$(pg_cpu)
        if [ $((r % 2)) = 1 ]; then
            post=$(run -s bench/daemon/trigger.lua "http://127.0.0.1:$port/v1/messages" -- "$token" "$send_at")
            c1=$(pg_cpu)
            health=$(run "http://127.0.0.1:$port/healthz"); c2=$(pg_cpu)
            c1=$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')
        else
            health=$(run "http://127.0.0.1:$port/healthz"); c1=$(pg_cpu)
            post=$(run -s bench/daemon/trigger.lua "http://127.0.0.1:$port/v1/messages" -- "$token" "$send_at")
            c2=$(pg_cpu)
            c1=$(awk -v a="$c1" -v b="$c2" 'BEGIN{print b-a}')
        fi
        bad "$post"; bad "$health"
        printf "%-6s %-30s %12s %10s %14s\n" "$r" "POST /v1/messages (durable)" "$(rps "$post")" "$(p99 "$post")" "$c1"
        printf "%-6s %-30s %12s %10s\n" "$r" "GET /healthz (reference)" "$(rps "$health")" "$(p99 "$health")"
        rps "$post" >> "$work/a-post"; rps "$health" >> "$work/a-health"
        awk -v a="$(rps "$post")" -v b="$(rps "$health")" 'BEGIN { printf "%.3f\n", a / b }' >> "$work/a-ratio"
    done
    summary "POST req/s" "$work/a-post"
    summary "GET /healthz req/s" "$work/a-health"
    echo "ratio per round: $(tr '\n' ' ' < "$work/a-ratio")"
    summary "ratio POST/healthz" "$work/a-ratio"
    echo "messages stored: $(pg_sql api -tA -c 'SELECT count(*) FROM messages')"
    echo "load $(load)"
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}

campaign_part() {
    command -v smtp-sink >/dev/null || { echo "smtp-sink not found: apt-get install postfix" >&2; exit 1; }
    SINK_PORT=$(free_port)
    smtp-sink -u nobody 127.0.0.1:"$SINK_PORT" 256 & local sink=$!; pids+=("$sink")
    pg_sql postgres -c "CREATE DATABASE campaign"
    python3 bench/store/gen_contacts.py "$CAMPAIGN_N" > "$work/contacts.csv"
    # The reference: one node on SQLite (the default store), the same list, in the same rounds.
    conf "$work/s0" - "$(free_port)" | sed '/^\[storage\]/d; /^url = "postgresql/d' > "$work/s0.conf"
    conf "$work/c0" campaign "$(free_port)" > "$work/c0.conf"
    local store
    for store in s0 c0; do
        local C=("$bin" --config "$work/$store.conf")
        "${C[@]}" storage migrate >/dev/null
        "${C[@]}" lists create all >/dev/null
        "${C[@]}" contacts import "$work/contacts.csv" --list all >/dev/null 2>&1
    done
    cq() { # nodes sql → the answer's fields, space-separated
        if [ "$1" = sqlite ]; then sqlite3 -separator ' ' "$work/s0/outreach.db" "$2"
        else pg_sql campaign -tA -F ' ' -c "$2"; fi
    }
    : > "$work/c-results"
    echo "== campaign: $CAMPAIGN_N newsletters into smtp-sink, max_connections = 4," \
        "batch_size = ${CAMPAIGN_BATCH:-256} a node;"
    echo "   $ROUNDS rounds of 1, 2, 3 nodes on PostgreSQL and, as the reference, one node on SQLite"
    local row="%-6s %-6s %10s %9s %16s %13s %11s\n"
    # shellcheck disable=SC2059
    printf "$row" round nodes msgs/s seconds "outreachd CPU s" "postgres CPU s" "sink CPU s"
    for r in $(seq "$ROUNDS"); do
        local order="sqlite 1 2 3"; [ $((r % 2)) = 1 ] || order="3 2 1 sqlite"
        for k in $order; do
            local name="c$r-$k" mid start i nodes=() conf=c0 count=$k c0 s0 c1 s1 u sent last
            [ "$k" != sqlite ] || { conf=s0; count=1; }
            "$bin" --config "$work/$conf.conf" campaigns create "$name" --template newsletter --list all \
                --channel email >/dev/null
            "$bin" --config "$work/$conf.conf" campaigns start "$name" >/dev/null   # fan-out, no node running yet
            mid=$(cq "$k" "SELECT message_id FROM campaigns WHERE name = '$name'")
            c0=$(pg_cpu); s0=$(proc_cpu "$sink")
            start=$(date +%s%3N)
            for i in $(seq "$count"); do
                if [ "$k" = sqlite ]; then
                    cp "$work/s0.conf" "$work/n$i.conf"
                else
                    conf "$work/n$i" campaign "$(free_port)" > "$work/n$i.conf"
                fi
                "$bin" --config "$work/n$i.conf" serve 2>>"$work/n$i.log" & nodes+=($!); pids+=($!)
            done
            for _ in $(seq 3000); do
                [ "$(cq "$k" "SELECT count(*) FROM deliveries WHERE message_id = $mid
                    AND state IN ('queued', 'sending', 'failed')")" = 0 ] && break
                sleep 0.1
            done
            sleep 0.5; c1=$(pg_cpu); s1=$(proc_cpu "$sink"); u=$(proc_cpu "${nodes[@]}")
            read -r sent last < <(cq "$k" \
                "SELECT count(*), max(sent_at) FROM deliveries WHERE message_id = $mid AND state = 'sent'")
            kill "${nodes[@]}"; wait "${nodes[@]}" 2>/dev/null || true
            [ "$sent" = "$CAMPAIGN_N" ] || echo "warning: round $r, $k: $sent of $CAMPAIGN_N sent" >&2
            # From the nodes' launch to the last delivery recorded sent (start-up included).
            awk -v r="$r" -v k="$k" -v n="$sent" -v a="$start" -v b="$last" -v u="$u" \
                -v p="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" \
                -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN{print b-a}')" 'BEGIN { t = (b - a) / 1000
                    printf "%-6s %-6s %10.0f %9.2f %16.2f %13.2f %11.2f\n", r, k, n / t, t, u, p, s }' \
                | tee -a "$work/c-results"
        done
    done
    for k in sqlite 1 2 3; do
        awk -v k="$k" '$2 == k {print $3}' "$work/c-results" > "$work/c-$k"
        summary "$k node(s) msgs/s" "$work/c-$k"
        awk -v k="$k" -v n="$CAMPAIGN_N" '$2 == k { u += $5; p += $6; s += $7; c++ } END {
            printf "  CPU per message: outreachd %.0f µs, postgres %.0f µs, smtp-sink %.0f µs\n",
                1e6 * u / (c * n), 1e6 * p / (c * n), 1e6 * s / (c * n) }' "$work/c-results"
        [ "$k" = sqlite ] && continue
        awk -v k="$k" '$2 == "sqlite" { s[$1] = $3 } $2 == k { p[$1] = $3 } END {
            for (r in p) printf "%.3f\n", p[r] / s[r] }' "$work/c-results" > "$work/c-ratio-$k"
        summary "  ratio $k PostgreSQL node(s) / one SQLite node" "$work/c-ratio-$k"
    done
    echo "load $(load)"
}

for p in $PARTS; do "${p}_part"; done
