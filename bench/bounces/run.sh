#!/usr/bin/env bash
# `outreachd bounces parse` throughput over the bounce corpus (Tests/OutreachTestFixtures/Fixtures/bounces,
# the messages that parse, COPIES copies of each), against Python's email package parsing the same
# files and reading their delivery-status fields (bench/bounces/python_parse.py), and `cat` reading
# them (the floor: process start and file reads). ROUNDS alternating rounds (which one goes first
# alternates too); medians with min–max of messages/s (wall clock, and per CPU second: user + system)
# and of the per-round ratio ours/Python.
# usage: bench/bounces/run.sh [COPIES]   (default 200; release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
COPIES="${1:-200}"
ROUNDS="${ROUNDS:-5}"
bin=${OUTREACHD:-$PWD/.build/release/outreachd}
[ -x "$bin" ] || swift build -c release --product outreachd >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=Tests/OutreachTestFixtures/Fixtures/bounces
python3 - "$corpus" "$work/m" "$COPIES" <<'PY'
import json, os, shutil, sys
corpus, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
manifest = json.load(open(os.path.join(corpus, "manifest.json")))
good = sorted(f for f, e in manifest.items() if not e.get("error"))
for i in range(copies):
    for f in good:
        shutil.copyfile(os.path.join(corpus, f), os.path.join(out, f"{i:04d}-{f}"))
PY
cd "$work/m"
files=(*.eml)
n=${#files[@]}
bytes=$(cat "${files[@]}" | wc -c)

seconds() { # command… → "wall cpu" seconds (stdout discarded); CPU (user + system) says more on a loaded VM
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
    read -r e u sy < "$work/time"
    python3 -c "print(f'{$e:.4f} {max($u + $sy, 0.005):.4f}')"
}
ours=("$bin" bounces parse --json "${files[@]}")
reference=(python3 "$OLDPWD/bench/bounces/python_parse.py" "${files[@]}")
floor=(cat "${files[@]}")

# Every message parses (exit 0) and gets its line, before anything is timed.
"$bin" bounces parse --json "${files[@]}" > "$work/ours.jsonl"
[ "$(wc -l < "$work/ours.jsonl")" -eq "$n" ] || { echo "outreachd did not print a line per message" >&2; exit 1; }

echo "corpus: $n messages ($COPIES copies of $((n / COPIES))), $((bytes / 1024)) KiB; $ROUNDS rounds"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git -C "$OLDPWD" rev-parse --short HEAD), load: $(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
for r in $(seq "$ROUNDS"); do
    if (( r % 2 )); then
        o=$(seconds "${ours[@]}"); p=$(seconds "${reference[@]}")
    else
        p=$(seconds "${reference[@]}"); o=$(seconds "${ours[@]}")
    fi
    c=$(seconds "${floor[@]}")
    rows+=("$o $p $c")
    python3 -c "
o, oc, p, pc, c, cc = map(float, '$o $p $c'.split())
print(f'round $r: outreachd {$n/o:,.0f} msgs/s ({$n/oc:,.0f} per CPU s), python {$n/p:,.0f} ({$n/pc:,.0f}), '
      f'cat {$n/c:,.0f}, ratio {p/o:.2f} (CPU {pc/oc:.2f})')"
done
printf '%s\n' "${rows[@]}" | python3 -c "
import statistics, sys
n = $n
rows = [tuple(map(float, l.split())) for l in sys.stdin]
def summary(values, fmt):
    return f'{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})'
rate = lambda v: f'{v:,.0f}'
ratio = lambda v: f'{v:.2f}'
print('outreachd bounces parse:', summary([n / r[0] for r in rows], rate), 'msgs/s;', summary([n / r[1] for r in rows], rate), 'per CPU second')
print('python email package:   ', summary([n / r[2] for r in rows], rate), 'msgs/s;', summary([n / r[3] for r in rows], rate), 'per CPU second')
print('cat (floor):            ', summary([n / r[4] for r in rows], rate), 'msgs/s')
print('ratio outreachd/python: ', summary([r[2] / r[0] for r in rows], ratio), 'wall;', summary([r[3] / r[1] for r in rows], ratio), 'CPU')
"
