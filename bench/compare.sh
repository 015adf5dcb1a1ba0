#!/usr/bin/env bash
# Refactor comparison (issue 16): the SMTP, daemon and import benchmarks, run with the release binaries of
# two revisions in alternating rounds (old, new, old, new, …) in one run, so both see the same machine.
#
#   bench/compare.sh [OLD_REV] [NEW_REV]        (defaults: 060fe8e, the commit before the refactor, and HEAD)
#
# 1. Builds `swift build -c release` of each revision in a temporary `git worktree add --detach`, copies
#    the binary to $BENCH_CACHE/outreachd-<commit hash> and removes the worktree; a binary already in
#    the cache is reused (the cache is by commit: uncommitted changes are not in NEW).
# 2. Every round runs, each once with the old and then once with the new binary (OUTREACHD=…):
#      smtp    bench/smtp/run.sh SMTP_N: outreachd msgs/s into smtp-sink, and its ratio to smtp-source;
#      daemon  bench/daemon/run.sh DAEMON_SECONDS (one round): durable POST /v1/messages requests/s with
#              an Idempotency-Key per trigger, and its ratio to GET /healthz;
#      import  bench/store/run.sh IMPORT_N, import part only: CSV contacts/s into an empty store.
#    The scripts, bench/ helpers and templates/ come from this working tree, the same for both binaries.
# 3. Prints per benchmark the median and min–max of old and new, new/old of the medians, the median of
#    the per-round ratios (new/old of the same round), and whether new >= 0.95 × old (the bar of issue 16).
#
# Environment (defaults): ROUNDS=5, SMTP_N=20000, SMTP_CONNS=4, DAEMON_SECONDS=4, DAEMON_CONNS=64,
# IMPORT_N=100000, BENCHES="smtp daemon import", BENCH_CACHE=${TMPDIR:-/tmp}/outreach-bench-bins,
# KEEP_LOGS=1 keeps every run's full output (printed at the end). At the defaults the rounds take about
# 8–10 minutes (daemon ~40 s a run, SMTP ~10 s, import ~5 s), plus two release builds the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD_REV=${1:-060fe8e}
NEW_REV=${2:-HEAD}
ROUNDS=${ROUNDS:-5}
SMTP_N=${SMTP_N:-20000}
SMTP_CONNS=${SMTP_CONNS:-4}
DAEMON_SECONDS=${DAEMON_SECONDS:-4}
DAEMON_CONNS=${DAEMON_CONNS:-64}
IMPORT_N=${IMPORT_N:-100000}
BENCHES=${BENCHES:-smtp daemon import}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/outreach-bench-bins}

old_hash=$(git rev-parse --verify "$OLD_REV^{commit}")
new_hash=$(git rev-parse --verify "$NEW_REV^{commit}")
mkdir -p "$BENCH_CACHE" .build          # .build: bench/daemon/run.sh keeps its data folder there (on disk)
logs=$(mktemp -d "${TMPDIR:-/tmp}/outreach-compare.XXXXXX")
src=""
cleanup() {
    [ -z "$src" ] || git worktree remove --force "$src" >/dev/null 2>&1 || true
    if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $logs" >&2; else rm -rf "$logs"; fi
}
trap cleanup EXIT

# The release binary of commit $1, built once into the cache.
build() {
    local hash=$1 out=$BENCH_CACHE/outreachd-$1
    if [ -x "$out" ]; then echo "binary of ${hash:0:9}: $out (cached)"; return; fi
    echo "building ${hash:0:9} (release) in a temporary worktree…"
    src=$(mktemp -d "${TMPDIR:-/tmp}/outreach-src-${hash:0:9}.XXXXXX")
    git worktree add --quiet --detach "$src" "$hash"
    if ! (cd "$src" && nice -n 10 swift build -c release --product outreachd >"$logs/build-$hash.log" 2>&1); then
        tail -n 30 "$logs/build-$hash.log" >&2
        exit 1
    fi
    cp "$src/.build/release/outreachd" "$out.part" && mv "$out.part" "$out"
    git worktree remove --force "$src"
    rm -f "${TMPDIR:-/tmp}/${src//\//_}_".*.lock      # SwiftPM's lock files of that scratch path
    src=""
    echo "binary of ${hash:0:9}: $out"
}
build "$old_hash"
build "$new_hash"
bin_old=$BENCH_CACHE/outreachd-$old_hash
bin_new=$BENCH_CACHE/outreachd-$new_hash

# One run of a benchmark with one binary → "metric reference-ratio" on stdout; its output goes to a log.
# The child scripts get ROUNDS=1 (they read ROUNDS themselves); BENCH_ONLY asks for only the part measured
# here, where a script knows that switch (bench/smtp/run.sh: the unsigned run, if it grows DKIM variants).
run_one() {
    local bench=$1 bin=$2 log=$3 rc=0
    case $bench in
        smtp) OUTREACHD=$bin ROUNDS=1 CONFIGS=unsigned bash bench/smtp/run.sh "$SMTP_N" "$SMTP_CONNS" ;;
        daemon) OUTREACHD=$bin ROUNDS=1 BENCH_ONLY=post bash bench/daemon/run.sh "$DAEMON_SECONDS" "$DAEMON_CONNS" ;;
        import) OUTREACHD=$bin ROUNDS=1 BENCH_ONLY=import bash bench/store/run.sh "$IMPORT_N" ;;
    esac >"$log" 2>&1 || rc=$?
    local value
    value=$(parse "$bench" <"$log") || value=""
    if [ -z "$value" ]; then
        echo "$bench with $bin failed (exit $rc) or printed no number; its output:" >&2
        cat "$log" >&2
        exit 1
    fi
    [ "$rc" = 0 ] || echo "warning: $bench with $bin exited $rc after printing its number (see $log)" >&2
    echo "$value"
}

# The number(s) of one run, from the lines the scripts print (robust to extra lines around them):
#   smtp:   the round line "unsigned 1 MSGS/S SMTP-SOURCE/S CPU RSS" (CONFIGS=unsigned) → msgs/s and the ratio;
#   daemon: "median  POST /v1/messages (durable)  RPS  P99" and "median  GET /healthz (reference)  RPS  P99";
#   import: "import round 1: 0.70s, …" → IMPORT_N / seconds.
parse() {
    case $1 in
        smtp) awk '
            $1 == "unsigned" && $2 ~ /^[0-9]+$/ && ours == "" { ours = $3; ref = $4 }
            END { if (ours != "" && ref > 0) printf "%s %.4f\n", ours, ours / ref }' ;;
        daemon) awk '
            $1 == "median" && /POST \/v1\/messages \(durable\)/ { post = $5 }
            $1 == "median" && /GET \/healthz \(reference\)/ { health = $5 }
            END { if (post != "" && health > 0) printf "%s %.4f\n", post, post / health }' ;;
        import) awk -v n="$IMPORT_N" '
            /^import round [0-9]+:/ && s == "" { s = $4; sub(/s,?$/, "", s) }
            END { if (s > 0) printf "%.0f -\n", n / s }' ;;
    esac
}

echo "date $(date -u +%Y-%m-%dT%H:%MZ); old ${old_hash:0:9} ($OLD_REV), new ${new_hash:0:9} ($NEW_REV);" \
    "$ROUNDS rounds of: $BENCHES; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sizes: SMTP_N=$SMTP_N SMTP_CONNS=$SMTP_CONNS DAEMON_SECONDS=$DAEMON_SECONDS DAEMON_CONNS=$DAEMON_CONNS" \
    "IMPORT_N=$IMPORT_N"
results=$logs/results       # bench side round metric ratio
: >"$results"
for r in $(seq "$ROUNDS"); do
    for bench in $BENCHES; do
        line="round $r $bench:"
        for side in old new; do
            bin=$bin_old
            [ "$side" = new ] && bin=$bin_new
            out=$(run_one "$bench" "$bin" "$logs/$bench-$side-$r.log")
            read -r metric ratio <<<"$out"
            echo "$bench $side $r $metric $ratio" >>"$results"
            line+=" $side $metric"
            [ "$ratio" = - ] || line+=" (ratio $ratio)"
        done
        echo "$line"
    done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
units = {"smtp": ("msgs/s", "of smtp-source"), "daemon": ("POST req/s", "of /healthz"), "import": ("contacts/s", None)}
ok = True
for bench in dict.fromkeys(r[0] for r in rows):
    unit, ref = units[bench]
    for col, label in ((3, unit), (4, f"ratio {ref}")):
        if col == 4 and ref is None:
            continue
        old = {r[2]: float(r[col]) for r in rows if r[0] == bench and r[1] == "old"}
        new = {r[2]: float(r[col]) for r in rows if r[0] == bench and r[1] == "new"}
        mo, mn = statistics.median(old.values()), statistics.median(new.values())
        paired = statistics.median(new[k] / old[k] for k in old if k in new)
        fmt = (lambda v: f"{v:,.0f}") if col == 3 else (lambda v: f"{v:.3f}")
        within = mn >= 0.95 * mo
        if col == 3:
            ok = ok and within
        print(f"{bench:6} {label:20} old {fmt(mo):>8} ({fmt(min(old.values()))}–{fmt(max(old.values()))})"
              f"  new {fmt(mn):>8} ({fmt(min(new.values()))}–{fmt(max(new.values()))})"
              f"  new/old {mn / mo:.3f}, per round {paired:.3f}"
              + (f"  {'within 5 %' if within else 'MORE THAN 5 % SLOWER'}" if col == 3 else ""))
print("all within 5 % (new >= 0.95 x old, medians)" if ok else "NOT all within 5 %")
PY
