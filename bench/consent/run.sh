#!/usr/bin/env bash
# The cost of the send-time consent check (issue 15): a campaign of N personalised newsletters
# (default 20,000) from the queue into Postfix's smtp-sink, sent by `work --until-idle`, with the
# release binary of a base commit (before the check; default cabae6c) and of the working tree,
# in alternating rounds (default 5 each). Prints msgs/s per round, then per binary the median and
# min-max, and the ratio of the medians (goal >= 0.97: the check costs at most 3 %).
# Usage: bench/consent/run.sh [N] [ROUNDS] [BASE_REV]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20000}
ROUNDS=${2:-5}
BASE=${3:-cabae6c}
command -v smtp-sink >/dev/null || { echo "smtp-sink not found: apt-get install postfix" >&2; exit 1; }

swift build -c release --product outreachd >/dev/null
new=$PWD/.build/release/outreachd
basedir=$PWD/.build-consent-base
if [ ! -x "$basedir/src/.build/release/outreachd" ] || [ "$(git -C "$basedir/src" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$BASE")" ]; then
    rm -rf "$basedir"
    mkdir -p "$basedir"
    git worktree add -f --detach "$basedir/src" "$BASE" >/dev/null 2>&1
    (cd "$basedir/src" && swift build -c release --product outreachd >/dev/null)
fi
old=$basedir/src/.build/release/outreachd

work=$(mktemp -d)
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
smtp-sink -u nobody 127.0.0.1:"$port" 256 & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
python3 bench/store/gen_contacts.py "$N" > "$work/contacts.csv"

# One round: a fresh data folder, import and fan-out untimed, then only the sending is timed.
round() {
    local bin=$1 dir=$work/r$RANDOM
    mkdir -p "$dir"
    cat > "$dir/outreachd.conf" <<CONF
data_dir = "$dir/data"
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
    local O=("$bin" --config "$dir/outreachd.conf")
    "${O[@]}" lists create all >/dev/null
    "${O[@]}" contacts import "$work/contacts.csv" --list all >/dev/null 2>&1
    "${O[@]}" campaigns create bench --template newsletter --list all --channel email >/dev/null
    "${O[@]}" campaigns start bench >/dev/null
    local t0 t1 sent
    t0=$(date +%s.%N)
    "${O[@]}" work --until-idle >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
    t1=$(date +%s.%N)
    sent=$("${O[@]}" campaigns status bench --json | python3 -c "import json,sys; print(json.load(sys.stdin).get('sent', 0))")
    rm -rf "$dir"
    python3 -c "print(f'{$sent / ($t1 - $t0):.0f}')"
}

echo "date $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD) vs base $BASE, N=$N, $ROUNDS rounds each"
olds=() news=()
for i in $(seq 1 "$ROUNDS"); do
    o=$(round "$old"); n=$(round "$new")
    olds+=("$o"); news+=("$n")
    echo "round $i: base $o msgs/s, new $n msgs/s"
done
python3 - "${olds[*]}" "${news[*]}" <<'PY'
import statistics, sys
old = [float(x) for x in sys.argv[1].split()]
new = [float(x) for x in sys.argv[2].split()]
mo, mn = statistics.median(old), statistics.median(new)
print(f"base: median {mo:,.0f} msgs/s (min {min(old):,.0f}, max {max(old):,.0f})")
print(f"new:  median {mn:,.0f} msgs/s (min {min(new):,.0f}, max {max(new):,.0f})")
print(f"ratio new/base {mn / mo:.3f} (goal >= 0.97); per-round ratios " + ", ".join(f"{n / o:.3f}" for o, n in zip(old, new)))
PY
