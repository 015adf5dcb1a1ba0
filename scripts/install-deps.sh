#!/usr/bin/env bash
# Installs what Outreach needs on a Debian machine that has only Swift: the C libraries it links,
# and the real peers its tests and benchmarks talk to. Installs only what is missing.
set -euo pipefail

debs=(pkg-config libsqlite3-dev libcurl4-openssl-dev libmicrohttpd-dev libssl-dev libpq-dev sqlite3)
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--bench" ]; then
    debs+=(postfix python3 python3-pip openssl kannel kannel-extras strace)
    # The PostgreSQL store's tests start a throwaway cluster (initdb, pg_ctl from /usr/lib/postgresql/15/bin).
    # bench/postgres/run.sh also runs psql and pgbench (postgresql-client-common, postgresql-15).
    debs+=(postgresql)
    # The bounce mailbox's tests read a throwaway Dovecot on loopback (dovecot -c CONF -F, no system config).
    debs+=(dovecot-imapd)
fi
if [ "${1:-}" = "--bench" ]; then
    debs+=(wrk time nginx-light nghttp2-client)
fi
missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections 2>/dev/null || true
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--bench" ]; then
    # Python peers: an SMTP server, independent parsers and verifiers.
    py=(twilio:twilio aiosmtpd:aiosmtpd dkim:dkimpy nacl:pynacl cryptography:cryptography pystache:pystache standardwebhooks:standardwebhooks icalendar:icalendar recurring_ical_events:recurring-ical-events prometheus_client:prometheus-client)
    need=()
    for pair in "${py[@]}"; do
        python3 -c "import ${pair%%:*}" 2>/dev/null || need+=("${pair#*:}")
    done
    if [ ${#need[@]} -gt 0 ]; then
        echo "pip installing: ${need[*]}" >&2
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${need[@]}" 2>/dev/null \
            || python3 -m pip install --quiet --break-system-packages "${need[@]}"
    fi
fi
