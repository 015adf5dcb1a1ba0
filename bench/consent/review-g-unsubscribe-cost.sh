#!/bin/sh
# Review g repro (not a benchmark of record): the cost of an unsubscribe while a big campaign is
# queued. SQLiteStore.cancelListMail is meant to find the contact's pending mail "under a partial
# index without a table scan", but the planner takes deliveries_state(state, message_id) and walks
# every queued delivery of the list's messages, after a full SCAN of messages (LIST SUBQUERY), once
# per contact, inside the write transaction. Measured on 23b641f (debug build, 2 shared cores):
#   300,000 queued campaign deliveries: `lists unsubscribe` of 50 addresses 5.5 s (about 110 ms each);
#   2,000,000 transactional messages:   `lists unsubscribe` of 200 addresses 36 s (about 180 ms each),
# the daemon's writers (claims, triggers, one-click) waiting all that time.
# Usage: bench/consent/review-g-unsubscribe-cost.sh [N]   (N subscribers, default 300000)
set -e
N=${1:-300000}
BIN=${OUTREACHD:-$(dirname "$0")/../../.build/debug/outreachd}
DIR=$(mktemp -d)
mkdir -p "$DIR/templates/note"
printf -- '---\nsubject: Hi\n---\nHi {{contact.name}}\n' > "$DIR/templates/note/email.en.txt"
cat > "$DIR/c.conf" <<CONF
data_dir = "$DIR/data"
templates_dir = "$DIR/templates"
[channels.outbox]
type = "outbox"
dir = "outbox"
CONF
O="$BIN --config $DIR/c.conf"
awk -v n="$N" 'BEGIN { print "email,name"; for (i = 1; i <= n; i++) printf "m%d@example.org,M%d\n", i, i }' > "$DIR/big.csv"
$O lists create news > /dev/null
$O contacts import "$DIR/big.csv" --list news 2> /dev/null
$O campaigns create n1 --template note --list news --channel outbox > /dev/null
$O campaigns start n1
echo "plan of cancelListMail's statement:"
sqlite3 "$DIR/data/outreach.db" "EXPLAIN QUERY PLAN UPDATE deliveries SET state = 'cancelled'
    WHERE address IN (SELECT email FROM contacts WHERE id = 3 UNION ALL SELECT phone FROM contacts WHERE id = 3)
      AND state IN ('queued','failed') AND contact_id = 3
      AND message_id IN (SELECT id FROM messages WHERE list_name = 'news' AND kind = 'list');"
ADDRS=$(awk 'BEGIN { for (i = 1; i <= 50; i++) printf "m%d@example.org ", i }')
echo "lists unsubscribe of 50 members:"
/usr/bin/time -f "%e s" $O lists unsubscribe news $ADDRS
rm -rf "$DIR"
