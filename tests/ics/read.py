"""Reads an iCalendar file with the `icalendar` package (not Hearth's code)
and prints its events as JSON: uid, summary, location, status, and start
and end as UTC instants in milliseconds (whole days as dates), each with
the TZID it was written in. Used by the Rust tests of the calendar feeds."""
import json
import sys
from datetime import date, datetime, timezone

import icalendar


def instant(v):
    d = v.dt
    if isinstance(d, datetime):
        if d.tzinfo is None:
            raise SystemExit(f"a floating time: {d}")
        return {"ms": int(d.astimezone(timezone.utc).timestamp() * 1000), "tzid": v.params.get("TZID")}
    if isinstance(d, date):
        return {"date": d.isoformat()}
    raise SystemExit(f"not a date: {d!r}")


cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
zones = [str(z.get("TZID")) for z in cal.walk("VTIMEZONE")]
events = [
    {
        "uid": str(e.get("UID")),
        "summary": str(e.get("SUMMARY")),
        "location": str(e.get("LOCATION", "")),
        "status": str(e.get("STATUS", "")),
        "start": instant(e.get("DTSTART")),
        "end": instant(e.get("DTEND")),
    }
    for e in cal.walk("VEVENT")
]
print(json.dumps({"name": str(cal.get("X-WR-CALNAME", "")), "zones": zones, "events": events}))
