"""Rule-based VTIMEZONE components built from the IANA database (:mod:`planner.zones`).

Outlook reads only TZOFFSETFROM/TZOFFSETTO/DTSTART/RRULE of an observance, and some
parsers read only the first RDATE, so each zone is written as at most one STANDARD and
one DAYLIGHT observance with a yearly RRULE (ics-requirements.md item 7). Every rule is
checked against zoneinfo for each year the plan touches; a zone whose transitions do not
follow one yearly rule is reported so the caller can fall back to UTC times.

Of a zone's two observances the one with the larger UTC offset is written as DAYLIGHT, the
smaller as STANDARD, whatever tzdata calls them: tzdata gives Europe/Dublin (and Morocco,
and Namibia 1994-2017) a negative DST, so its summer time IST is "standard" there, and
dateutil-based readers (vobject, ics-py, Radicale) convert such a VTIMEZONE an hour off after
every change. RFC 5545 does not tie DAYLIGHT to summer, but every client expects it.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from planner.zones import zone

_UTC = dt.UTC
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of UTC offset: local wall time before it, offsets and the new name."""

    local: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str

    @property
    def daylight(self) -> bool:
        """Whether the clocks go forward: into the observance written as DAYLIGHT."""
        return self.offset_to > self.offset_from


class IrregularZone(Exception):
    """The zone's transitions in the range do not follow one yearly rule per kind."""


def _offset(tz: ZoneInfo, at: dt.datetime) -> dt.timedelta:
    off = at.astimezone(tz).utcoffset()
    assert off is not None
    return off


def transitions(tz: ZoneInfo, year: int) -> list[Transition]:
    """Every offset change in ``year``, found by a daily scan then a minute bisection."""
    found: list[Transition] = []
    day = dt.datetime(year, 1, 1, tzinfo=_UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=_UTC)
    before = _offset(tz, day)
    while day < end:
        nxt = day + dt.timedelta(days=1)
        after = _offset(tz, nxt)
        if after != before:
            lo, hi = 0, 24 * 60  # minutes into the day; zones switch on whole minutes
            while hi - lo > 1:
                mid = (lo + hi) // 2
                at = day + dt.timedelta(minutes=mid)
                lo, hi = (mid, hi) if _offset(tz, at) == before else (lo, mid)
            switch = day + dt.timedelta(minutes=hi)
            moment = switch.astimezone(tz)
            found.append(
                Transition(
                    local=(switch + before).replace(tzinfo=None),
                    offset_from=before,
                    offset_to=after,
                    name=moment.tzname() or "",
                )
            )
            before = after
        day = nxt
    return found


def _byday(local: dt.datetime) -> str:
    """``2SU`` (second Sunday) or ``-1SU`` (last Sunday) for the transition's date."""
    # "Last" when a week later is next month (the calendar module is not worth its import).
    last = (local + dt.timedelta(days=7)).month != local.month
    nth = -1 if last else (local.day - 1) // 7 + 1
    return f"{nth}{_DAY_CODES[local.weekday()]}"


def _rule_key(t: Transition) -> tuple[object, ...]:
    return (t.local.month, _byday(t.local), t.local.time(), t.offset_from, t.offset_to, t.name)


def build_vtimezone(tzid: str, first: dt.date, last: dt.date) -> Timezone:
    """A VTIMEZONE for ``tzid`` valid for every date from ``first`` to ``last``.

    Raises:
        IrregularZone: the zone changed its rules inside the range, or its changes do not
            fall on a fixed weekday of a fixed month every year.
    """
    tz = zone(tzid)
    years = range(first.year - 1, last.year + 2)
    per_year = [transitions(tz, y) for y in years]
    vtz = Timezone()
    vtz.add("TZID", tzid)
    if not any(per_year):
        offset = _offset(tz, dt.datetime(first.year, 1, 1, tzinfo=_UTC))
        std = TimezoneStandard()
        std.add("DTSTART", dt.datetime(first.year - 1, 1, 1))
        std.add("TZOFFSETFROM", offset)
        std.add("TZOFFSETTO", offset)
        std.add("TZNAME", dt.datetime(first.year, 1, 1, tzinfo=tz).tzname() or tzid)
        vtz.add_component(std)
        return vtz
    if any(len(ts) != 2 for ts in per_year):
        raise IrregularZone(f"{tzid} does not switch clocks exactly twice a year here")
    rules: dict[bool, Transition] = {}
    for ts in per_year:
        for t in ts:
            seen = rules.setdefault(t.daylight, t)
            if _rule_key(seen) != _rule_key(t):
                raise IrregularZone(f"{tzid} changes its clock rule between years")
    for daylight, t in sorted(rules.items()):
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("DTSTART", t.local)
        part.add("TZOFFSETFROM", t.offset_from)
        part.add("TZOFFSETTO", t.offset_to)
        part.add("TZNAME", t.name)
        part.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": t.local.month, "BYDAY": _byday(t.local)})
        vtz.add_component(part)
    return vtz
