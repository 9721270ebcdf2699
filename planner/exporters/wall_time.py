"""Session times on the days clocks change: skipped and repeated wall times, true durations.

On the day clocks go forward some wall times do not exist (02:30 in Berlin on the last
Sunday of March); on the day they go back some happen twice. Python's aware datetimes
compute ``start + duration`` on the wall clock, which gives events that end before they
start or last no time at all on those days, so durations are added in UTC here.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

_UTC = dt.UTC

Kind = Literal["ok", "skipped", "repeated"]


@dataclass(frozen=True, slots=True)
class SessionTime:
    """Where a session falls in absolute time, and what happened to the wall time asked for.

    Attributes:
        start: the start, aware in the zone asked for.
        end: ``start`` plus the duration in elapsed time (its ``fold`` set when it falls in
            the second run of a repeated hour).
        kind: ``skipped`` when the wall time does not exist that day and the session moved to
            the first wall time after the gap; ``repeated`` when it happens twice and the
            first one (fold 0) is taken; ``ok`` otherwise.
    """

    start: dt.datetime
    end: dt.datetime
    kind: Kind


def _wall(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None)


def is_skipped(local: dt.datetime) -> bool:
    """Whether aware ``local`` names a wall time the zone skips (a gap)."""
    return _wall(local.astimezone(_UTC).astimezone(local.tzinfo)) != _wall(local)


def is_repeated(local: dt.datetime) -> bool:
    """Whether aware ``local`` names a wall time that happens twice (a fold)."""
    return not is_skipped(local) and (
        local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()
    )


def _after_gap(local: dt.datetime) -> dt.datetime:
    """The first wall time after the gap that skipped ``local``.

    In a gap, fold 0 reads the wall time with the offset from before the change and fold 1
    with the one after (PEP 495), so the change happened between those two instants; it is
    found to the second by bisection (zones change on whole seconds).
    """
    tz = local.tzinfo
    lo = local.replace(fold=1).astimezone(_UTC)
    hi = local.replace(fold=0).astimezone(_UTC)
    after = local.replace(fold=1).utcoffset()
    while hi - lo > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) // 2
        lo, hi = (lo, mid) if mid.astimezone(tz).utcoffset() == after else (mid, hi)
    return hi.astimezone(tz)


def session_time(day: dt.date, at: dt.time, tz: dt.tzinfo, minutes: int) -> SessionTime:
    """The session on ``day`` at wall time ``at`` in ``tz``, lasting ``minutes`` of real time.

    A wall time in a gap moves to the first one after it (03:00 for 02:30 in Berlin on the
    day clocks go forward); one in a fold is the first of the two, as RFC 5545 3.3.5 reads
    an ambiguous local time.
    """
    start = dt.datetime.combine(day, at.replace(fold=0), tzinfo=tz)
    kind: Kind = "ok"
    if is_skipped(start):
        start, kind = _after_gap(start), "skipped"
    elif is_repeated(start):
        kind = "repeated"
    end = (start.astimezone(_UTC) + dt.timedelta(minutes=minutes)).astimezone(tz)
    return SessionTime(start, end, kind)
