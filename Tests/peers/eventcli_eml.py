"""Reads the .eml files named on the command line and reports, as JSON, what Python's email package,
icalendar and recurring-ical-events make of each: the text and HTML parts, the text/calendar
alternative and its method, the invite.ics attachment, the VEVENT's UID/SEQUENCE/STATUS, its
RECURRENCE-ID and EXDATEs (UTC), and the UTC instants the series expands to.
"""
import datetime
import email
import email.policy
import json
import sys

import icalendar
import recurring_ical_events

utc = datetime.timezone.utc
out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    r = {"file": path, "to": str(msg["To"]), "subject": str(msg["Subject"]), "calendar_parts": [], "attachments": []}
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        filename = part.get_filename()
        if filename:
            r["attachments"].append({"filename": filename, "type": ctype})
        if ctype == "text/calendar" and not filename:
            r["calendar_parts"].append({"method": part.get_param("method")})
        if ctype == "text/plain" and not filename:
            r["text"] = part.get_content()
        if ctype == "text/html" and not filename:
            r["html"] = part.get_content()
        if filename == "invite.ics":
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True).decode("utf-8"))
            ev = cal.walk("VEVENT")[0]
            r["ics"] = {
                "method": str(cal.get("METHOD")),
                "uid": str(ev["UID"]),
                "sequence": int(ev["SEQUENCE"]),
                "summary": str(ev.get("SUMMARY")),
                "status": str(ev.get("STATUS")),
                "location": str(ev.get("LOCATION")) if "LOCATION" in ev else None,
                "tzid": ev["DTSTART"].params.get("TZID"),
                "vtimezones": [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")],
                "attendees": [str(a) for a in (ev.get("ATTENDEE") if isinstance(ev.get("ATTENDEE"), list) else [ev.get("ATTENDEE")]) if a],
            }
            rid = ev.get("RECURRENCE-ID")
            r["ics"]["recurrence_id_utc"] = rid.dt.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ") if rid else None
            r["ics"]["has_rrule"] = "RRULE" in ev
            exdates = ev.get("EXDATE") or []
            exdates = exdates if isinstance(exdates, list) else [exdates]
            r["ics"]["exdates_utc"] = sorted(
                d.dt.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ") for x in exdates for d in x.dts)
            start = ev["DTSTART"].dt
            expanded = recurring_ical_events.of(cal).between(start - datetime.timedelta(days=1), start + datetime.timedelta(days=3 * 366))
            r["ics"]["starts_utc"] = sorted(e["DTSTART"].dt.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ") for e in expanded)
    out.append(r)
print(json.dumps(out))
