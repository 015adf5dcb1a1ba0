#!/usr/bin/env python3
"""An independent IMAP client (Python's imaplib) for the bounce mailbox tests.

  imap_mailbox.py wait PORT USER PASSWORD SECONDS     logs in until it works; prints "ready"
  imap_mailbox.py append PORT USER PASSWORD FOLDER FILE...
                                                      APPENDs each file unread; prints the UIDs, one a line
  imap_mailbox.py flag PORT USER PASSWORD FOLDER UID FLAG
                                                      adds FLAG (\\Deleted) to one message, as another client would
  imap_mailbox.py dump PORT USER PASSWORD             prints every folder's messages as JSON:
      {"FOLDER": [{"uid": 3, "flags": ["\\\\Seen"], "message_id": "<…>", "subject": "…"}]}
      read with EXAMINE and BODY.PEEK, so looking changes nothing
"""
import email
import imaplib
import json
import re
import sys
import time


def login(port, user, password):
    m = imaplib.IMAP4("127.0.0.1", int(port))
    m.login(user, password)
    return m


def wait(port, user, password, seconds):
    deadline = time.monotonic() + float(seconds)
    last = None
    while time.monotonic() < deadline:
        try:
            login(port, user, password).logout()
            print("ready")
            return 0
        except Exception as e:  # not listening yet, or the login service is still starting
            last = e
            time.sleep(0.05)
    print(f"not ready: {last}", file=sys.stderr)
    return 1


def append(port, user, password, folder, files):
    m = login(port, user, password)
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        typ, answer = m.append(folder, None, None, data)
        if typ != "OK":
            raise SystemExit(f"APPEND {f} failed: {answer}")
        found = re.search(rb"APPENDUID \d+ (\d+)", answer[0] or b"")
        print(found.group(1).decode() if found else "?")
    m.logout()
    return 0


def flag(port, user, password, folder, uid, name):
    m = login(port, user, password)
    m.select(folder)
    typ, answer = m.uid("STORE", uid, "+FLAGS", "(" + name + ")")
    if typ != "OK":
        raise SystemExit(f"STORE failed: {answer}")
    m.logout()
    return 0


def folders(m):
    typ, lines = m.list()
    names = []
    for line in lines:
        found = re.match(rb'\((.*?)\) (?:"(.*?)"|NIL) (.*)$', line)
        name = found.group(3).decode()
        if name.startswith('"') and name.endswith('"'):
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        names.append(name)
    return names


def dump(port, user, password):
    m = login(port, user, password)
    out = {}
    for name in folders(m):
        typ, _ = m.select('"' + name + '"', readonly=True)
        if typ != "OK":
            continue
        typ, data = m.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)])")
        messages = []
        for item in data:
            if not isinstance(item, tuple):
                continue
            meta, header = item
            uid = int(re.search(rb"UID (\d+)", meta).group(1))
            flags = re.search(rb"FLAGS \((.*?)\)", meta).group(1).decode().split()
            parsed = email.message_from_bytes(header)
            messages.append(
                {"uid": uid, "flags": flags, "message_id": parsed.get("Message-ID"), "subject": parsed.get("Subject")}
            )
        out[name] = sorted(messages, key=lambda x: x["uid"])
    m.logout()
    print(json.dumps(out))
    return 0


def main():
    cmd, port, user, password, *rest = sys.argv[1:]
    if cmd == "wait":
        return wait(port, user, password, rest[0])
    if cmd == "append":
        return append(port, user, password, rest[0], rest[1:])
    if cmd == "flag":
        return flag(port, user, password, *rest)
    if cmd == "dump":
        return dump(port, user, password)
    raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    sys.exit(main())
