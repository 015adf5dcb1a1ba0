#!/usr/bin/env python3
"""The reference for bench/bounces/run.sh: parses each message with Python's email package and reads
what a bounce parser needs — the per-recipient fields of a delivery-status part (Final-Recipient,
Action, Status, Diagnostic-Code), the feedback report's fields, the returned headers — and prints a
line per message. It does not classify: less work than outreachd's parse, so the ratio is generous
to Python."""
import email, json, sys
from email import policy

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=policy.compat32)
    found = []
    for part in msg.walk():
        t = part.get_content_type()
        if t in ("message/delivery-status", "message/global-delivery-status", "message/feedback-report"):
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else [email.message_from_string(str(payload))]
            for b in blocks:
                r = b.get("Final-Recipient") or b.get("Original-Rcpt-To")
                if r:
                    found.append([r, b.get("Action"), b.get("Status"), b.get("Diagnostic-Code")])
        elif t in ("message/rfc822", "text/rfc822-headers"):
            part.get_payload()
    print(json.dumps({"file": path, "results": found}))
