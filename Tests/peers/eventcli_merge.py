"""What a calendar program ends up with after receiving the .eml files named on the command line, in
order: every VEVENT of their invite.ics attachments put into one calendar (a later SEQUENCE of the same
UID and RECURRENCE-ID replaces an earlier one, as RFC 5546 says), expanded by recurring-ical-events.
Prints [{"start_utc": …, "status": …}] for every instance, STATUS:CANCELLED ones included.
"""
import datetime
import email
import email.policy
import json
import sys

import icalendar
import recurring_ical_events

utc = datetime.timezone.utc
merged = icalendar.Calendar()
merged.add("prodid", "-//merge//EN")
merged.add("version", "2.0")
events = {}
zones = {}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    for part in msg.walk():
        if part.get_filename() != "invite.ics":
            continue
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True).decode("utf-8"))
        for tz in cal.walk("VTIMEZONE"):
            zones.setdefault(str(tz["TZID"]), tz)
        for ev in cal.walk("VEVENT"):
            rid = ev.get("RECURRENCE-ID")
            key = (str(ev["UID"]), rid.dt.astimezone(utc).isoformat() if rid else None)
            old = events.get(key)
            if old is None or int(ev.get("SEQUENCE", 0)) >= int(old.get("SEQUENCE", 0)):
                events[key] = ev
for tz in zones.values():
    merged.add_component(tz)
for ev in events.values():
    merged.add_component(ev)
first = min(e["DTSTART"].dt for e in events.values())
out = []
for e in recurring_ical_events.of(merged).between(first - datetime.timedelta(days=1), first + datetime.timedelta(days=3 * 366)):
    out.append({"start_utc": e["DTSTART"].dt.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "status": str(e.get("STATUS", "CONFIRMED"))})
print(json.dumps(sorted(out, key=lambda o: o["start_utc"])))
