#!/usr/bin/env bash
# 20,000 webhook posts from the delivery queue (outreachd send --queue-only, then work --until-idle)
# into a local nginx, versus wrk posting the same body to the same nginx with the same number of
# connections. Prints both rates and the ratio.
#
# The sink is nginx (Debian package nginx-light or nginx): `return 200` on a keep-alive
# connection is about the cheapest correct HTTP/1.1 answer there is, so the sink is not what
# limits either side. Each side posts to its own location with its own access log, so the script
# can check that every post arrived.
#
# Usage: bench/webhook/run.sh   (N=20000 CONNS=4 WRK_SECONDS=10 to change)
set -euo pipefail
N=${N:-20000}
CONNS=${CONNS:-4}
WRK_SECONDS=${WRK_SECONDS:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

(cd "$ROOT" && swift build -c release --product outreachd >/dev/null)
BIN="$ROOT/.build/release/outreachd"
WORK=$(mktemp -d /tmp/outreach-bench-webhook.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
NGINX_PID=""
cleanup() { if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

mkdir -p "$WORK/nginx"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    log_format bench '\$request_method \$status \$request_length';
    keepalive_requests 10000000;
    keepalive_timeout 60s;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$PORT;
        location /wrk   { access_log $WORK/wrk.log bench buffer=256k; return 200 "ok"; }
        location /hooks { access_log $WORK/hooks.log bench buffer=256k; return 200 "ok"; }
    }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
    sleep 0.1
done

# The same body a slack-preset post of the welcome chat template carries.
BODY='{"channel":"a1@bench.example","text":"👋 Welcome to , !"}'
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["webhook-id"] = "12345"
LUA
echo "wrk: $CONNS connections for ${WRK_SECONDS}s against nginx on 127.0.0.1:$PORT"
wrk -t "$(( CONNS < 2 ? CONNS : 2 ))" -c "$CONNS" -d "${WRK_SECONDS}s" -s "$WORK/post.lua" "http://127.0.0.1:$PORT/wrk" > "$WORK/wrk.out"
cat "$WORK/wrk.out"
WRK_RATE=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")

mkdir -p "$WORK/data"
cat > "$WORK/outreachd.conf" <<CONF
data_dir = "$WORK/data"
templates_dir = "$ROOT/templates"
default_locale = "en"

[channels.team]
type = "webhook"
preset = "slack"
url = "http://127.0.0.1:$PORT/hooks"
target = "contact"
address_attribute = "slack"
max_connections = $CONNS
${BATCH:+batch_size = $BATCH}
CONF
export OUTREACH_CONFIG="$WORK/outreachd.conf"

echo "queueing $N deliveries (send --queue-only)…"
T0=$(date +%s.%N)
python3 - "$N" "$BIN" <<'PY'
import subprocess, sys
n, binary = int(sys.argv[1]), sys.argv[2]
step = 5000  # addresses per send command (one message, many deliveries)
for start in range(0, n, step):
    args = [binary, "send", "welcome", "--channel", "team", "--queue-only"]
    for i in range(start, min(n, start + step)):
        args += ["--to", f"a{i}@bench.example"]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
PY
T1=$(date +%s.%N)
echo "sending (work --until-idle)…"
${WRAP:-} "$BIN" work --until-idle --json > "$WORK/work.json"
T2=$(date +%s.%N)
cat "$WORK/work.json"; echo

cleanup; NGINX_PID=""
ARRIVED=$(wc -l < "$WORK/hooks.log")
python3 - "$N" "$T0" "$T1" "$T2" "$WRK_RATE" "$ARRIVED" "$CONNS" <<'PY'
import sys
n, t0, t1, t2, wrk, arrived, conns = int(sys.argv[1]), *map(float, sys.argv[2:6]), int(sys.argv[6]), int(sys.argv[7])
enqueue, send = t1 - t0, t2 - t1
rate = n / send
print(f"enqueue: {n} deliveries in {enqueue:.2f}s ({n/enqueue:,.0f}/s)")
print(f"outreachd work --until-idle: {n} posts in {send:.2f}s = {rate:,.0f} posts/s ({arrived} arrived at nginx)")
print(f"wrk, same sink, {conns} connections: {wrk:,.0f} requests/s")
print(f"ratio outreachd / wrk: {rate / wrk:.3f}")
if arrived != n:
    sys.exit(f"only {arrived} of {n} posts arrived")
PY
rm -rf "$WORK"
