"""The oracle for event tests, from Python's zoneinfo alone: for a weekly series starting at a wall
time in a zone, each occurrence's start and its -1d (same clock time the day before) and -2h (exact)
reminders, as milliseconds since 1970 and as the local hour:minute in another zone.

Usage: eventcli_expected.py ZONE "YYYY-MM-DD HH:MM" COUNT [READER_ZONE]
"""
import datetime
import json
import sys
import zoneinfo

zone = zoneinfo.ZoneInfo(sys.argv[1])
first = datetime.datetime.strptime(sys.argv[2], "%Y-%m-%d %H:%M")
count = int(sys.argv[3])
reader = zoneinfo.ZoneInfo(sys.argv[4]) if len(sys.argv) > 4 else zone
ms = lambda d: int(d.timestamp() * 1000)
utc = datetime.timezone.utc
out = []
for k in range(count):
    wall = first + datetime.timedelta(weeks=k)
    start = wall.replace(tzinfo=zone)
    day_before = (wall - datetime.timedelta(days=1)).replace(tzinfo=zone)
    out.append({
        "index": k,
        "start_ms": ms(start),
        "start_utc": start.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "utc_offset_hours": start.utcoffset().total_seconds() / 3600,
        "-1d": ms(day_before),
        "-2h": ms(start) - 2 * 3600 * 1000,
        "reader_hm": start.astimezone(reader).strftime("%H:%M"),
        "reader_hm_dot": start.astimezone(reader).strftime("%H.%M"),
    })
print(json.dumps(out))
