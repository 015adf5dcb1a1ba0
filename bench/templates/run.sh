#!/usr/bin/env bash
# Renders the starter newsletter (subject, text part, HTML part with layout and footer partial) for
# N contacts with outreachd's engine and with Python's pystache, and prints renders/s and the ratio.
# usage: bench/templates/run.sh [N]   (default 100000; needs python3 with pystache)
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-100000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build -c release --product outreachd >&2
python3 bench/templates/make_contexts.py "$N" "$WORK/contexts.jsonl"

echo "newsletter (en), $N contacts; JSON parsing not timed in either"
swift_line="$(.build/release/outreachd render newsletter --templates templates --locale en --kind email --bench "$WORK/contexts.jsonl")"
echo "outreachd: $swift_line"
py_line="$(python3 bench/templates/pystache_newsletter.py templates "$WORK/contexts.jsonl")"
echo "pystache:  $py_line"

rate() { sed -E 's/.*per_second=([0-9]+).*/\1/' <<<"$1"; }
python3 - "$(rate "$swift_line")" "$(rate "$py_line")" <<'PY'
import sys
s, p = int(sys.argv[1]), int(sys.argv[2])
print(f"renders/s: outreachd {s}, pystache {p}, ratio {s / p:.1f}x (goal >= 5x)")
PY
