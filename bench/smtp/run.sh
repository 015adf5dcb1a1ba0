#!/usr/bin/env bash
# SMTP benchmark (issue 4): 20,000 personalised newsletter messages from the queue through the smtp
# channel (4 reused connections) into Postfix's smtp-sink, against `smtp-source -d -s 4` into the
# same sink in the same run. Prints msgs/s, the ratio, CPU per message and peak RSS.
exec "$(dirname "$0")/../campaign/run.sh" "${1:-20000}"
