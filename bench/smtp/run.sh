#!/usr/bin/env bash
# SMTP channel benchmark: N personalised newsletters (default 20,000) from the queue into Postfix's
# smtp-sink, against the reference load smtp-source -d -s 4 into the same sink in the same run.
# Prints messages/s of both, the ratio (goal >= 0.45), CPU per message and peak RSS of the sender.
# Usage: bench/smtp/run.sh [N] [MAX_CONNECTIONS]      (builds the release binary if it is missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20000}
CONNS=${2:-4}
bin=${OUTREACHD:-$PWD/.build/release/outreachd}
[ -x "$bin" ] || swift build -c release >/dev/null
command -v smtp-sink >/dev/null || { echo "smtp-sink not found: apt-get install postfix" >&2; exit 1; }
work=$(mktemp -d)
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
smtp-sink -u nobody 127.0.0.1:"$port" 256 & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

# Reference: Postfix's own load generator, 4 sessions, messages of 2,000 bytes.
ref_s=$( { /usr/bin/time -f "%e" smtp-source -d -s 4 -m "$N" -l 2000 -f a@x.org -t b@x.org 127.0.0.1:"$port" >/dev/null; } 2>&1 | tail -n 1)

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
max_connections = $CONNS
CONF
O=("$bin" --config "$work/outreachd.conf")
"${O[@]}" lists create all >/dev/null
"${O[@]}" contacts import "$work/contacts.csv" --list all >/dev/null 2>&1
"${O[@]}" campaigns create bench --template newsletter --list all --channel email >/dev/null
"${O[@]}" campaigns start bench >/dev/null

# Only the sending is timed: render, MIME, SMTP, state updates.
/usr/bin/time -v -o "$work/time" "${O[@]}" work --until-idle >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
sent=$("${O[@]}" campaigns status bench --json | python3 -c "import json,sys; print(json.load(sys.stdin).get('sent', 0))")
python3 - "$work/time" "$sent" "$N" "$ref_s" "$CONNS" <<'PY'
import re, sys
path, sent, n, ref_s, conns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
t = open(path).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(\S+)", t).group(1)
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)"))
ours, ref = sent / secs, n / ref_s
print(f"reference smtp-source -d -s 4 -m {n} -l 2000: {ref_s:.2f}s = {ref:,.0f} msgs/s")
print(f"outreachd work --until-idle (max_connections = {conns}): {sent:,} of {n:,} sent in {secs:.2f}s = {ours:,.0f} msgs/s")
print(f"CPU {1e6 * cpu / max(sent, 1):.0f} µs/msg, peak RSS {rss // 1024} MB")
print(f"ratio {ours / ref:.2f} (goal >= 0.45)")
PY
