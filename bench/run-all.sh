#!/usr/bin/env bash
# Runs every benchmark in turn (release build first); numbers go to docs/benchmarks.md by hand.
set -euo pipefail
cd "$(dirname "$0")"
for b in store templates smtp webhook daemon bounces postgres; do
    echo "== $b"
    bash "$b/run.sh"
done
echo "== campaign (1,000,000 contacts; a few minutes)"
bash campaign/run.sh
