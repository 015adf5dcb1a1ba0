#!/usr/bin/env bash
# Store benchmark: CSV import of N contacts and enqueue (campaign fan-out) of N deliveries, with peak RSS.
# Reference in the same run: the sqlite3 shell importing the same CSV into a bare table (.import),
# and one INSERT…SELECT of N rows — what SQLite itself does on this machine without our checks.
# Usage: bench/store/run.sh [N]   (release build: swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
bin=${OUTREACHD:-$PWD/.build/release/outreachd}
[ -x "$bin" ] || swift build -c release >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/store/gen_contacts.py "$N" > "$work/contacts.csv"
cat > "$work/outreachd.conf" <<CONF
data_dir = "$work/data"
templates_dir = "$PWD/templates"
default_locale = "en"
[channels.outbox]
type = "outbox"
dir = "outbox"
CONF
o() { "$bin" --config "$work/outreachd.conf" "$@"; }
O=("$bin" --config "$work/outreachd.conf")
measure() { # label, command… → prints seconds and peak RSS
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r secs rss < "$work/time"
    echo "$label $secs $rss"
}
# The VM's speed drifts, so the import into an empty store runs ROUNDS times (each into a fresh
# data folder) and the median is reported; the last round's store is re-imported and used below.
ROUNDS=${ROUNDS:-3}
times=()
for r in $(seq "$ROUNDS"); do
    rm -rf "$work/data"
    o lists create all >/dev/null
    read -r _ s rss < <(measure import "${O[@]}" contacts import "$work/contacts.csv" --list all)
    times+=("$s $rss")
    echo "import round $r: ${s}s, peak RSS $((rss/1024)) MB"
done
[ "${BENCH_ONLY:-}" != import ] || exit 0   # bench/compare.sh times the import alone
read -r imp_s imp_rss < <(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
read -r _ reimp_s _ < <(measure reimport "${O[@]}" contacts import "$work/contacts.csv" --list all)
o campaigns create bench --template newsletter --list all --channel outbox >/dev/null
read -r _ enq_s enq_rss < <(measure enqueue "${O[@]}" campaigns start bench)
queued=$(sqlite3 "$work/data/outreach.db" "SELECT COUNT(*) FROM deliveries")

# Reference: SQLite's own shell, same machine, same file system, same pragmas.
ref_import=$( { /usr/bin/time -f "%e" sqlite3 "$work/ref.db" "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=FULL;" \
    ".mode csv" ".import $work/contacts.csv c" >/dev/null; } 2>&1 | tail -n 1)
ref_insert=$( { /usr/bin/time -f "%e" sqlite3 "$work/ref.db" "PRAGMA synchronous=FULL;" \
    "CREATE TABLE d(id INTEGER PRIMARY KEY, a TEXT, s TEXT, UNIQUE(a));" "INSERT INTO d(a, s) SELECT email, 'queued' FROM c;" >/dev/null; } 2>&1 | tail -n 1)

rate() { python3 -c "print(f'{$1/$2:,.0f}')"; }
echo "contacts: $N, deliveries queued: $queued"
echo "import:    ${imp_s}s  $(rate $N $imp_s) rows/s  peak RSS $((imp_rss/1024)) MB   (median of $ROUNDS; re-import ${reimp_s}s)"
echo "enqueue:   ${enq_s}s  $(rate $queued $enq_s) rows/s  peak RSS $((enq_rss/1024)) MB"
echo "reference sqlite3 .import: ${ref_import}s ($(rate $N $ref_import) rows/s); INSERT…SELECT: ${ref_insert}s ($(rate $N $ref_insert) rows/s)"
python3 -c "print(f'ratio import/sqlite3-import: {$ref_import/$imp_s:.2f}   enqueue/INSERT-SELECT: {$ref_insert/$enq_s:.2f}')"
