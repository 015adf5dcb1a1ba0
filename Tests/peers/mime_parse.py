#!/usr/bin/env python3
"""Parses an RFC 5322 message from stdin with Python's email package and prints what it found as JSON.

The Swift tests compare this independent reading with what they meant to send."""
import email, hashlib, json, sys
from email import policy

raw = sys.stdin.buffer.read()
msg = email.message_from_bytes(raw, policy=policy.default)
out = {
    "defects": [str(d) for d in msg.defects],
    "headers": {k: str(v) for k, v in msg.items()},
    "from": [[a.display_name, a.addr_spec] for a in msg["from"].addresses] if msg["from"] else [],
    "to": [[a.display_name, a.addr_spec] for a in msg["to"].addresses] if msg["to"] else [],
    "reply_to": [[a.display_name, a.addr_spec] for a in msg["reply-to"].addresses] if msg["reply-to"] else [],
    "subject": str(msg["subject"]),
    "content_type": msg.get_content_type(),
    "max_line": max(len(l) for l in raw.split(b"\r\n")),
    "bare_lf": raw.replace(b"\r\n", b"").count(b"\n"),
    "parts": [],
}
for part in msg.walk():
    if part.is_multipart():
        out["parts"].append({"type": part.get_content_type(), "defects": [str(d) for d in part.defects]})
        continue
    payload = part.get_payload(decode=True) or b""
    entry = {"type": part.get_content_type(), "filename": part.get_filename(),
             "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload),
             "disposition": part.get_content_disposition(), "method": part.get_param("method"),
             "defects": [str(d) for d in part.defects]}
    if part.get_content_maintype() == "text":
        entry["text"] = part.get_content()
    out["parts"].append(entry)
print(json.dumps(out))
