#!/usr/bin/env bash
# SMTP channel benchmark: N personalised newsletters (default 20,000) from the queue into Postfix's
# smtp-sink, in three configurations run in alternation, ROUNDS rounds each (default 5):
#   unsigned  against smtp-source -d -s 4 into the same sink in the same round   (goal: median >= 0.45)
#   rsa2048   DKIM rsa-sha256, against `openssl speed -multi $(nproc) rsa2048`'s signing rate in the
#             same round: the signature is the physical limit of signed mail   (goal: median >= 0.8)
#   ed25519   DKIM ed25519-sha256, against smtp-source                          (reported)
# Prints every round, then medians with min–max, CPU µs per message and peak RSS of the sender, the
# sink's CPU per message, and for rsa2048 the ceiling the sink's share leaves a sender that cost nothing.
# Usage: bench/smtp/run.sh [N] [MAX_CONNECTIONS]      ROUNDS=5 CONFIGS="unsigned rsa2048 ed25519"
#        OUTREACHD=path chooses the binary (default: the release build, built if it is missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20000}
CONNS=${2:-4}
ROUNDS=${ROUNDS:-5}
CONFIGS=${CONFIGS:-unsigned rsa2048 ed25519}
bin=${OUTREACHD:-$PWD/.build/release/outreachd}
[ -x "$bin" ] || swift build -c release >/dev/null
command -v smtp-sink >/dev/null || { echo "smtp-sink not found: apt-get install postfix" >&2; exit 1; }
cores=$(nproc)
work=$(mktemp -d)
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
smtp-sink -u nobody 127.0.0.1:"$port" 256 & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa2048.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$work/ed25519.pem" 2>/dev/null
python3 bench/store/gen_contacts.py "$N" > "$work/contacts.csv"

# One data directory with the contacts imported, copied for every round (import is not timed).
config() { # config-name data-dir → the config file's text
    cat <<CONF
data_dir = "$2"
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
    if [ "$1" != unsigned ]; then
        printf 'dkim_domain = "sprogcenter.example"\ndkim_selector = "bench"\ndkim_key_file = "%s"\n' \
            "$work/$1.pem"
    fi
}
config unsigned "$work/seed" > "$work/seed.conf"
"$bin" --config "$work/seed.conf" lists create all >/dev/null
"$bin" --config "$work/seed.conf" contacts import "$work/contacts.csv" --list all >/dev/null 2>&1

# The sink's own CPU (user + system, in clock ticks): it shares the cores with the sender, so it
# bounds what any sender can reach on this machine (the rsa2048 ceiling printed at the end).
sink_ticks() { awk '{ print $14 + $15 }' "/proc/$sink/stat"; }
hz=$(getconf CLK_TCK)

results=$work/results
: > "$results"
ours() { # config-name round → "msgs/s cpu-µs/msg rss-MB sent sink-cpu-µs/msg"
    local dir=$work/r-$1-$2
    cp -r "$work/seed" "$dir"
    config "$1" "$dir" > "$dir.conf"
    local O=("$bin" --config "$dir.conf")
    "${O[@]}" campaigns create bench --template newsletter --list all --channel email >/dev/null
    "${O[@]}" campaigns start bench >/dev/null
    # Only the sending is timed: render, MIME, DKIM, SMTP, state updates.
    local t0
    t0=$(sink_ticks)
    /usr/bin/time -f "%e %U %S %M" -o "$dir.time" "${O[@]}" work --until-idle >/dev/null 2>"$dir.err" \
        || { cat "$dir.err" >&2; exit 1; }
    local sink_cpu=$(($(sink_ticks) - t0))
    local sent
    sent=$("${O[@]}" campaigns status bench --json \
        | python3 -c "import json,sys; print(json.load(sys.stdin).get('sent', 0))")
    read -r e u s m < "$dir.time"
    rm -rf "$dir"
    python3 - "$e" "$u" "$s" "$m" "$sent" "$sink_cpu" "$hz" <<'PY'
import sys
e, u, s, m, n, k, hz = map(float, sys.argv[1:])
print(f"{n / e:.0f} {1e6 * (u + s) / max(n, 1):.0f} {m / 1024:.0f} {n:.0f} {1e6 * k / hz / max(n, 1):.0f}")
PY
}
source_rate() { # smtp-source -d -s 4, messages of 2,000 bytes → msgs/s
    local t
    t=$( { /usr/bin/time -f "%e" smtp-source -d -s 4 -m "$N" -l 2000 -f a@x.org -t b@x.org 127.0.0.1:"$port" \
        >/dev/null; } 2>&1 | tail -n 1)
    python3 -c "import sys; print(f'{int(sys.argv[1])/float(sys.argv[2]):.0f}')" "$N" "$t"
}
sign_rate() { # OpenSSL's own RSA-2048 signatures per second on every core
    openssl speed -seconds 3 -multi "$cores" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $(NF-1) }'
}

for r in $(seq 1 "$ROUNDS"); do
    for c in $CONFIGS; do
        if [ "$c" = rsa2048 ]; then ref=$(sign_rate); else ref=$(source_rate); fi
        read -r rate cpu rss sent sinkcpu < <(ours "$c" "$r")
        [ "$sent" -eq "$N" ] || echo "warning: $c round $r sent $sent of $N" >&2
        echo "$c $r $rate $ref $cpu $rss $sinkcpu" | tee -a "$results"
    done
done

python3 - "$results" "$N" "$CONNS" "$cores" "$(uptime)" <<'PY'
import statistics, sys
path, n, conns, cores, load = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rows = [l.split() for l in open(path) if l.strip()]
refs = {"unsigned": "smtp-source -d -s 4", "rsa2048": f"openssl speed -multi {cores} rsa2048 (sign/s)",
        "ed25519": "smtp-source -d -s 4"}
goals = {"unsigned": 0.45, "rsa2048": 0.8, "ed25519": None}
def mm(xs, fmt):
    return f"{fmt(statistics.median(xs))} ({fmt(min(xs))}–{fmt(max(xs))})"
print(f"\n{n:,} messages per round, max_connections = {conns}, {cores} cores; load at the end:{load.split('load')[-1]}")
for c in dict.fromkeys(r[0] for r in rows):
    rs = [r for r in rows if r[0] == c]
    ours = [float(r[2]) for r in rs]; ref = [float(r[3]) for r in rs]
    ratio = [float(r[2]) / float(r[3]) for r in rs]
    cpu = [float(r[4]) for r in rs]; rss = [float(r[5]) for r in rs]
    g = goals[c]
    verdict = "" if g is None else f" (goal >= {g}: {'met' if statistics.median(ratio) >= g else 'not met'})"
    print(f"{c:9} outreachd {mm(ours, lambda x: f'{x:,.0f}')} msgs/s; {refs[c]} {mm(ref, lambda x: f'{x:,.0f}')}/s")
    sink = [float(r[6]) for r in rs]
    print(f"{'':9} ratio {mm(ratio, lambda x: f'{x:.2f}')}{verdict}; CPU {mm(cpu, lambda x: f'{x:.0f}')} µs/msg; "
          f"peak RSS {max(rss):.0f} MB; {len(rs)} rounds")
    print(f"{'':9} smtp-sink's CPU {mm(sink, lambda x: f'{x:.0f}')} µs/msg")
    if c == "rsa2048":
        # With every core busy and nothing else to do but the signature (cores / OpenSSL's rate) and
        # the sink's share, a sender costing nothing itself would reach this fraction of the rate.
        ceil = [1 / (1 + float(r[6]) * 1e-6 * float(r[3]) / int(cores)) for r in rs]
        print(f"{'':9} ceiling with the sink on the same cores (a sender costing nothing): "
              f"{mm(ceil, lambda x: f'{x:.2f}')} of OpenSSL's rate")
PY
