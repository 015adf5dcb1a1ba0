#!/usr/bin/env bash
# The main job on embedded defaults: import a sample list, queue a welcome to it, send it to the outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/outreachd
export OUTREACH_CONFIG=""   # embedded defaults: ./outreach-data, ./templates, one outbox channel
$bin lists show newcomers >/dev/null 2>&1 || $bin lists create newcomers
$bin contacts import examples/contacts.csv --list newcomers --default-country DK
$bin check
$bin send welcome --to soren.aero@example.dk --to asa.oberg@example.se --to ana.souza@example.org \
  --data examples/welcome.json
$bin queue status
echo
latest=$(ls -t outreach-data/outbox/*.eml | head -n 1)
echo "== $latest (what would be sent; open it in a mail client) =="
sed -n '1,40p' "$latest"
