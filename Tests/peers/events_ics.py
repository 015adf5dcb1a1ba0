"""Reads an iCalendar object on stdin and reports, as JSON, what independent parsers make of it.

icalendar parses it; recurring-ical-events expands the series; the VTIMEZONE is turned into a
tzinfo on its own (not looked up by name) and compared with the tz database. With --rename-tzid,
the TZID is replaced by a made-up one first, so the expansion must go through our VTIMEZONE.
"""
import datetime
import json
import sys
import zoneinfo

import icalendar
import recurring_ical_events

raw = sys.stdin.buffer.read()
lines = raw.split(b"\r\n")
report = {
    "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
    "ends_with_crlf": raw.endswith(b"\r\n"),
    "max_line_octets": max(len(l) for l in lines),
    "lines_valid_utf8": True,
}
for l in lines:
    try:
        l.decode("utf-8")
    except UnicodeDecodeError:
        report["lines_valid_utf8"] = False

text = raw.decode("utf-8")
real_tzid = None
if "--rename-tzid" in sys.argv:
    cal0 = icalendar.Calendar.from_ical(text)
    real_tzid = str(cal0.walk("VTIMEZONE")[0]["TZID"])
    text = text.replace("\r\n ", "")  # unfold so the name is not split across lines
    text = text.replace("TZID=" + real_tzid, "TZID=Outreach-Test").replace("TZID:" + real_tzid, "TZID:Outreach-Test")

cal = icalendar.Calendar.from_ical(text)
report["method"] = str(cal.get("METHOD"))
report["version"] = str(cal.get("VERSION"))
report["prodid"] = str(cal.get("PRODID"))
events = cal.walk("VEVENT")
ev = events[0]
report["events"] = len(events)
for key in ["UID", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "ORGANIZER"]:
    report[key.lower()] = str(ev[key]) if key in ev else None
report["sequence"] = int(ev["SEQUENCE"]) if "SEQUENCE" in ev else None
att = ev.get("ATTENDEE")
att = att if isinstance(att, list) else ([att] if att is not None else [])
report["attendees"] = [{"address": str(a), "cn": a.params.get("CN"), "rsvp": a.params.get("RSVP")} for a in att]
report["organizer_cn"] = ev["ORGANIZER"].params.get("CN") if "ORGANIZER" in ev else None
report["dtstart_tzid"] = ev["DTSTART"].params.get("TZID")

utc = datetime.timezone.utc
start = ev["DTSTART"].dt
window_end = start + datetime.timedelta(days=366 * 3)
expanded = recurring_ical_events.of(cal).between(start - datetime.timedelta(days=1), window_end)
expanded = sorted(expanded, key=lambda e: e["DTSTART"].dt)
report["starts_utc"] = [e["DTSTART"].dt.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ") for e in expanded]
report["ends_utc"] = [e["DTEND"].dt.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ") for e in expanded]

tzs = cal.walk("VTIMEZONE")
report["vtimezones"] = len(tzs)
report["tz_mismatches"] = []
if tzs and "--rename-tzid" not in sys.argv:
    tzid = str(tzs[0]["TZID"])
    ours = tzs[0].to_tz(lookup_tzid=False)
    ref = zoneinfo.ZoneInfo(tzid)
    first = start.astimezone(utc).replace(month=1, day=1, hour=0, minute=0, second=0)
    checked = 0
    t = first
    while t < window_end.astimezone(utc):
        # Hourly, so every transition (on the hour in the tz database) is seen from both sides.
        a = t.astimezone(ours).utcoffset()
        b = t.astimezone(ref).utcoffset()
        checked += 1
        if a != b:
            report["tz_mismatches"].append([t.isoformat(), str(a), str(b)])
        t += datetime.timedelta(hours=1)
    report["tz_checked"] = checked

json.dump(report, sys.stdout)
