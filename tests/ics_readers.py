"""Independent readers of an .ics file that build each zone from the file's own VTIMEZONE.

Each reader returns, for every VEVENT in file order, its (start, end) as aware UTC datetimes.
None of them may consult a zone database for a TZID: that would hide a wrong VTIMEZONE,
which is what real clients (Outlook, Thunderbird, dateutil-based servers) are given.

- icalendar: ``Timezone.to_tz(lookup_tzid=False)`` builds a tzinfo from the component;
- dateutil: ``tz.tzical`` (what vobject, ics-py and Radicale use underneath);
- vobject: its own parse, with ``validate=True``;
- ics-py 0.7: it asks dateutil's ``gettz`` (the system database) for a TZID and parses the
  VTIMEZONE components only after the events, so it is run twice: once to build its zones
  from the file, then with ``gettz`` answering from those;
- ical.js (node): Thunderbird's and many web clients' parser, which has no zone database.

A timed value in UTC (``...Z``) is read as UTC by all of them; an all-day file is refused.
"""

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import icalendar
import vobject
from dateutil import tz as dateutil_tz

Instants = list[tuple[dt.datetime, dt.datetime]]

JS = Path(__file__).parent / "js"
_VALUE = re.compile(r"^(DTSTART|DTEND)(?:;TZID=([^:;]+))?:(\d{8}T\d{6})(Z?)$", re.MULTILINE)


def _unfold(data: bytes) -> str:
    return data.decode().replace("\r\n ", "").replace("\r\n", "\n")


def _values(data: bytes) -> list[tuple[str | None, dt.datetime]]:
    """(TZID or None for UTC, wall time) of every event's DTSTART and DTEND, in file order."""
    found = []
    events = re.findall(r"^BEGIN:VEVENT$.*?^END:VEVENT$", _unfold(data), re.MULTILINE | re.DOTALL)
    for _, tzid, stamp, utc in _VALUE.findall("\n".join(events)):
        wall = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S")
        assert tzid or utc, f"floating time {stamp}: planner must never write one"
        found.append((tzid or None, wall))
    return found


def _pairs(moments: list[dt.datetime]) -> Instants:
    utc = [m.astimezone(dt.UTC) for m in moments]
    return list(zip(utc[::2], utc[1::2], strict=True))


def _attach(values: list[tuple[str | None, dt.datetime]], zones: dict[str, dt.tzinfo]) -> Instants:
    return _pairs([wall.replace(tzinfo=zones[tzid] if tzid else dt.UTC) for tzid, wall in values])


def read_icalendar(data: bytes) -> Instants:
    """icalendar, with each zone built from its VTIMEZONE component (no zoneinfo lookup)."""
    cal = icalendar.Calendar.from_ical(data)
    zones = {str(v["TZID"]): v.to_tz(lookup_tzid=False) for v in cal.walk("VTIMEZONE")}
    return _attach(_values(data), zones)


def read_dateutil(data: bytes) -> Instants:
    """python-dateutil's ``tzical``, the VTIMEZONE reader under vobject, ics-py and Radicale."""
    text = _unfold(data)
    zones: dict[str, dt.tzinfo] = {}
    if "BEGIN:VTIMEZONE" in text:
        parsed = dateutil_tz.tzical(io.StringIO(text))
        # tzical has keys() but is not iterable itself.
        zones = {key: parsed.get(key) for key in parsed.keys()}  # noqa: SIM118
    return _attach(_values(data), zones)


def read_vobject(data: bytes) -> Instants:
    """vobject with validation: its tzinfo comes from the file's VTIMEZONE."""
    cal = vobject.readOne(data.decode(), validate=True)
    moments = []
    for event in cal.vevent_list:
        moments += [event.dtstart.value, event.dtend.value]
    return _pairs(moments)


def read_ics_py(data: bytes) -> Instants:
    """ics-py 0.7, its TZIDs answered by the zones it built from the file's VTIMEZONEs."""
    import ics

    # Its grammar-based parser takes seconds for a year of sessions; the texts play no part
    # in the times, so they are left out (unfolded lines, so no continuation is left over).
    text = "\r\n".join(
        line for line in _unfold(data).split("\n") if not line.startswith("DESCRIPTION")
    )
    zones_only = text.split("BEGIN:VEVENT")[0] + "END:VCALENDAR\r\n"
    zones = ics.Calendar(zones_only)._timezones
    with mock.patch("ics.utils.gettz", zones.get):
        cal = ics.Calendar(text)
        # ics-py keeps events in a set: order them by UID as in the file.
        order = [m.group(1) for m in re.finditer(r"^UID:(.+)$", _unfold(data), re.MULTILINE)]
        events = sorted(cal.events, key=lambda e: order.index(e.uid))
        return [
            (e.begin.datetime.astimezone(dt.UTC), e.end.datetime.astimezone(dt.UTC)) for e in events
        ]


def read_icaljs(data: bytes) -> Instants:
    """ical.js through node (installed into tests/js by scripts/system-deps.sh)."""
    node = shutil.which("node")
    assert node, "node is missing: run bash scripts/system-deps.sh"
    installed = (JS / "node_modules" / "ical.js").is_dir()
    assert installed, "ical.js is missing: run bash scripts/system-deps.sh"
    proc = subprocess.run(
        [node, str(JS / "instants.mjs")], input=data, capture_output=True, check=True
    )
    return [
        (dt.datetime.fromtimestamp(a, dt.UTC), dt.datetime.fromtimestamp(b, dt.UTC))
        for a, b in json.loads(proc.stdout)
    ]


READERS: dict[str, Callable[[bytes], Instants]] = {
    "icalendar": read_icalendar,
    "dateutil": read_dateutil,
    "vobject": read_vobject,
    "ics-py": read_ics_py,
    "ical.js": read_icaljs,
}
