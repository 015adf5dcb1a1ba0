#!/usr/bin/env bash
# A campaign to N contacts (default 1,000,000): time to fan out, send rate into Postfix's smtp-sink,
# and peak RSS of each step. Reference in the same run: smtp-source -d -s 4 into the same sink.
# Usage: bench/campaign/run.sh [N] [SEND]   SEND = how many of the N to send (default all)
#        DKIM=rsa2048 (or ed25519) signs every message with a new key of that type; with rsa2048 the
#        run also measures `openssl speed -multi $(nproc) rsa2048`, the signing limit of the machine.
#        OUTREACHD=path chooses the binary (default: the release build, built if it is missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
SEND=${2:-$N}
DKIM=${DKIM:-}
bin=${OUTREACHD:-$PWD/.build/release/outreachd}
[ -x "$bin" ] || swift build -c release >/dev/null
work=$(mktemp -d)
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
smtp-sink -u nobody 127.0.0.1:$port 256 & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5
python3 bench/store/gen_contacts.py "$N" > "$work/contacts.csv"
cat > "$work/outreachd.conf" <<CONF
data_dir = "$work/data"
templates_dir = "$PWD/templates"
default_locale = "en"
public_url = "https://outreach.example.org"
[sender]
from = "Connecting Friends <venner@sprogcenter.example>"
[channels.email]
type = "smtp"
url = "smtp://127.0.0.1:$port"
tls = "none"
max_connections = 4
CONF
case "$DKIM" in
    "") ;;
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/dkim.pem" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$work/dkim.pem" 2>/dev/null ;;
    *) echo "DKIM must be rsa2048 or ed25519" >&2; exit 1 ;;
esac
if [ -n "$DKIM" ]; then
    printf 'dkim_domain = "sprogcenter.example"\ndkim_selector = "bench"\ndkim_key_file = "%s"\n' \
        "$work/dkim.pem" >> "$work/outreachd.conf"
fi
O=("$bin" --config "$work/outreachd.conf")
step() { # label, command… → "label seconds peakKB"
    local label=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r s m u y < "$work/t"; echo "$label $s $m $u $y"
}
"${O[@]}" lists create all >/dev/null
read -r _ imp_s imp_m _ _ < <(step import "${O[@]}" contacts import "$work/contacts.csv" --list all)
"${O[@]}" campaigns create bench --template newsletter --list all --channel email >/dev/null
read -r _ fan_s fan_m _ _ < <(step fanout "${O[@]}" campaigns start bench)
if [ "$SEND" -lt "$N" ]; then  # send only the first SEND: cancel the rest
    sqlite3 "$work/data/outreach.db" "UPDATE deliveries SET state='cancelled' WHERE id > (SELECT MIN(id) FROM deliveries) + $SEND - 1"
fi
read -r _ send_s send_m send_u send_y < <(step send "${O[@]}" work --until-idle)
sent=$(sqlite3 "$work/data/outreach.db" "SELECT COUNT(*) FROM deliveries WHERE state='sent'")
ref_s=$( { /usr/bin/time -f "%e" smtp-source -d -s 4 -m "$SEND" -l 5000 -f a@x.org -t b@x.org 127.0.0.1:$port >/dev/null; } 2>&1 | tail -n 1)
sign_rate=0
if [ "$DKIM" = rsa2048 ]; then
    sign_rate=$(openssl speed -seconds 3 -multi "$(nproc)" rsa2048 2>/dev/null \
        | awk '/^rsa 2048 bits/ { print $(NF-1) }')
fi
python3 - "$DKIM" "$sign_rate" "$N" "$imp_s" "$imp_m" "$fan_s" "$fan_m" "$sent" "$send_s" "$send_m" "$send_u" \
    "$send_y" "$SEND" "$ref_s" <<'PY'
import sys
dkim, sign_rate = sys.argv[1], float(sys.argv[2])
del sys.argv[1:3]
n, imp_s, imp_m, fan_s, fan_m, sent, send_s, send_m, u, y, send_n, ref_s = sys.argv[1:]
n, sent, send_n = int(n), int(sent), int(send_n)
f = float
print(f"contacts {n:,}: import {f(imp_s):.1f}s (peak RSS {int(imp_m)//1024} MB)")
print(f"fan-out: {f(fan_s):.2f}s = {n/f(fan_s):,.0f} deliveries/s, peak RSS {int(fan_m)//1024} MB")
print(f"DKIM: {dkim or 'none'}")
print(f"send: {sent:,} sent in {f(send_s):.1f}s = {sent/f(send_s):,.0f} msgs/s, CPU {1e6*(f(u)+f(y))/max(sent,1):.0f} µs/msg, peak RSS {int(send_m)//1024} MB")
print(f"reference smtp-source -d -s 4 -m {send_n}: {f(ref_s):.1f}s = {send_n/f(ref_s):,.0f} msgs/s; ratio {(sent/f(send_s))/(send_n/f(ref_s)):.2f}")
if sign_rate:
    print(f"openssl speed -multi rsa2048: {sign_rate:,.0f} signatures/s; ratio {(sent/f(send_s))/sign_rate:.2f}")
PY
