"""Sessions kept off days off (pure): the person's ``--skip`` days and public holidays.

A session that falls on a day off moves, within its plan week (the seven days from the
week's first session), to a later day the person trains on (``--days``, which may hold
more days than the phase uses). Sessions keep their order, never share a day, and keep the
phase's spacing from their neighbours, the last session of the week before and the first
of the next week included. The spacing asked for is the phase's ``min_hours_between``,
but never more than the weekday rhythm itself gives: a person who chose adjacent days was
warned when the plan was made, and a moved session is held to the rhythm they chose.

Among the arrangements that fit, the one that leaves the most sessions on their planned
days wins, then the one with the smallest moves, then the earliest dates, so the same
options always give the same plan. When no arrangement fits, that week and every later
week start seven days later and the week is tried again.

Sessions waiting in an open pause stay where they are (the pause moves them on resume).
"""

import datetime as dt
from dataclasses import dataclass, replace
from itertools import combinations
from math import ceil

from planner.errors import ScheduleError
from planner.models.common import WEEKDAYS
from planner.models.plan import LAST_SESSION_DATE, PlanOptions
from planner.plan.schedule import PhaseDays, Schedule, shortest_gap
from planner.wording.plan import day_text

SKIPPED = "a day you asked to skip"
# Weeks the plan may grow by before days off count as swallowing it: a year of pushing
# means the days off leave no plan to speak of, and bounds the loop.
MAX_PUSHES = 52
_WEEK = dt.timedelta(weeks=1)


def days_off(options: PlanOptions) -> dict[dt.date, str]:
    """Every day off with its reason: the holiday's name, else "a day you asked to skip"."""
    off: dict[dt.date, str] = {}
    for day_range in options.skip:
        day = day_range.first
        while day <= day_range.last:
            off[day] = SKIPPED
            day += dt.timedelta(days=1)
    for holiday in options.holiday_dates:
        off[holiday.date] = holiday.name  # the name says more than "a day you asked to skip"
    return off


@dataclass(frozen=True, slots=True)
class _Week:
    """What the arrangement of one plan week has to respect."""

    base: tuple[dt.date, ...]  # its sessions' days before this step (pushes applied)
    fixed: tuple[bool, ...]  # waiting in an open pause: stays put
    inner: tuple[int, ...]  # least days between session i and i + 1
    before: tuple[dt.date, int] | None  # last session of the week before, least days after it
    after: tuple[dt.date, int] | None  # earliest day of the next week's first, least days


def _arrange(
    week: _Week, off: dict[dt.date, str], weekdays: frozenset[int]
) -> tuple[dt.date, ...] | None:
    """The best dates for one week's sessions (see the module docstring), or None."""
    # A week that a pause cut in two spans more than seven days: its sessions after the
    # pause may move within the seven days from their own day.
    stretch = (week.base[-1] - week.base[0]).days
    span = 6 if stretch <= 6 else stretch + 6
    window = [week.base[0] + dt.timedelta(days=i) for i in range(span + 1)]
    allowed = [
        {day}
        if fixed
        else {
            d for d in window if d >= day and d not in off and (d.weekday() in weekdays or d == day)
        }
        for day, fixed in zip(week.base, week.fixed, strict=True)
    ]
    days = sorted(set().union(*allowed))
    best: tuple[tuple[int, int, tuple[dt.date, ...]], tuple[dt.date, ...]] | None = None
    for dates in combinations(days, len(week.base)):
        if not all(d in a for d, a in zip(dates, allowed, strict=True)):
            continue
        if any((b - a).days < n for a, b, n in zip(dates, dates[1:], week.inner, strict=False)):
            continue
        if week.before is not None and (dates[0] - week.before[0]).days < week.before[1]:
            continue
        if week.after is not None and (week.after[0] - dates[-1]).days < week.after[1]:
            continue
        moves = [(d - b).days for d, b in zip(dates, week.base, strict=True)]
        key = (sum(1 for m in moves if m), sum(moves), dates)
        if best is None or key < best[0]:
            best = (key, dates)
    return None if best is None else best[1]


def _earliest(
    base: tuple[dt.date, ...], fixed: bool, off: dict[dt.date, str], weekdays: frozenset[int]
) -> dt.date | None:
    """The earliest day a week's first session can take (None: none in its week)."""
    if fixed:
        return base[0]
    window = (base[0] + dt.timedelta(days=i) for i in range(7))
    return next(
        (d for d in window if d not in off and (d.weekday() in weekdays or d == base[0])), None
    )


def _least_days(phase: PhaseDays, days: tuple[str, ...]) -> int:
    """Least days between two sessions of a phase: its hours, capped by its rhythm."""
    return max(1, min(ceil(phase.min_hours_between / 24), shortest_gap(days)))


def keep_days_off(schedule: Schedule, options: PlanOptions, phases: list[PhaseDays]) -> Schedule:
    """``schedule`` with no session on a day off (see the module docstring).

    Raises:
        ScheduleError: when days off would push the plan on by more than a year.
    """
    off = days_off(options)
    planned = schedule.weeks
    if not off or not any(d in off for week in planned for d in week):
        return schedule
    weekdays = frozenset(WEEKDAYS.index(d) for d in options.days)
    least = [
        _least_days(p, days)
        for p, days in zip(phases, schedule.phase_days, strict=True)
        for _ in range(p.weeks)
    ]
    hours = [p.min_hours_between for p in phases for _ in range(p.weeks)]
    fixed = [tuple(f"W{w}S{i}" in schedule.waiting for i in range(1, len(week) + 1))
             for w, week in enumerate(planned, start=1)]  # fmt: skip
    weeks = [tuple(week) for week in planned]
    pushed: dict[int, list[str]] = {}  # week index -> the days off that pushed it
    times: dict[int, int] = {}  # week index -> how many weeks it was pushed
    warnings: list[str] = []
    pushes = 0
    w = 0
    while w < len(weeks):
        base = weeks[w]
        before = None
        if w:
            gap = (planned[w][0] - planned[w - 1][-1]).days
            before = (weeks[w - 1][-1], min(max(least[w - 1], least[w]), gap))
        after = None
        if w + 1 < len(weeks):
            first = _earliest(weeks[w + 1], fixed[w + 1][0], off, weekdays)
            if first is not None:
                gap = (planned[w + 1][0] - planned[w][-1]).days
                after = (first, min(max(least[w], least[w + 1]), gap))
        inner = tuple(
            min(least[w], (b - a).days) for a, b in zip(planned[w], planned[w][1:], strict=False)
        )
        dates = _arrange(_Week(base, fixed[w], inner, before, after), off, weekdays)
        if dates is not None:
            weeks[w] = dates
            w += 1
            continue
        if any(any(f) for f in fixed[w:]) or (base[-1] - base[0]).days > 6:
            # An open pause follows (its sessions keep their days), or a pause cut this
            # week in two (pushing it would move the sessions done before the pause): the
            # plan cannot grow here. The week stays as planned and the person is told
            # (a rebuild on resume tries again).
            warnings.append(_stuck_text(w + 1, base, off))
            w += 1
            continue
        pushes += 1
        if pushes > MAX_PUSHES or weeks[-1][-1] + _WEEK > LAST_SESSION_DATE:
            raise ScheduleError(
                "days off (--skip, --holidays) leave no room for the plan: it would grow "
                f"by more than {MAX_PUSHES} weeks; give fewer or shorter days off"
            )
        # A week with no day off of its own is blocked by its neighbours' days off.
        near = [weeks[k] for k in (w, w - 1, w + 1) if 0 <= k < len(weeks)]
        names = next((n for n in (_names(b, off) for b in near) if n), ["days off nearby"])
        pushed.setdefault(w, []).extend(n for n in names if n not in pushed.get(w, []))
        times[w] = times.get(w, 0) + 1
        weeks[w:] = [tuple(d + _WEEK for d in week) for week in weeks[w:]]
    # One line per pushed week, however many times it was pushed.
    warnings += [
        _pushed_text(w + 1, weeks[w][0], times[w], hours[w], least[w], pushed[w])
        for w in sorted(times)
    ]
    moved = _records(planned, tuple(weeks), off, times)
    return replace(
        schedule,
        weeks=tuple(weeks),
        warnings=(*schedule.warnings, *warnings),
        moved=(*schedule.moved, *moved),
    )


def _names(base: tuple[dt.date, ...], off: dict[dt.date, str]) -> list[str]:
    """The reasons of the days off in a week's window, in date order, each once."""
    window = (base[0] + dt.timedelta(days=i) for i in range(7))
    return list(dict.fromkeys(off[d] for d in window if d in off))


def _pushed_text(
    week: int, first: dt.date, times: int, hours: int, least: int, names: list[str]
) -> str:
    later = "a week" if times == 1 else f"{times} weeks"
    spacing = (
        f"keeps {least * 24} h between sessions"
        if hours > 24 and least > 1
        else "is free for all its sessions"
    )
    return (
        f"Week {week} and the weeks after it start {later} later, on {day_text(first)}: "
        f"no free day that week {spacing} ({', '.join(names)})"
    )


def _stuck_text(week: int, base: tuple[dt.date, ...], off: dict[dt.date, str]) -> str:
    days = ", ".join(f"{day_text(d)} ({off[d]})" for d in base if d in off)
    return (
        f"Week {week} keeps a session on a day off, {days}: a pause cuts into or follows it, so "
        "it cannot grow by a week; move the session with 'planner move'"
    )


def _records(
    planned: tuple[tuple[dt.date, ...], ...],
    final: tuple[tuple[dt.date, ...], ...],
    off: dict[dt.date, str],
    pushes: dict[int, int],
) -> list[tuple[str, dt.date, dt.date, str]]:
    """One (slot, planned, date, why) per session this step moved within its week.

    A week pushed later is a shift of the whole plan from there on, like a pause: its
    warning says so once, and its sessions are not each called moved (every later event
    would say "moved" otherwise). A session is moved from the day its pushed week gives it.
    """
    records: list[tuple[str, dt.date, dt.date, str]] = []
    for w, (before, after) in enumerate(zip(planned, final, strict=True)):
        shift = sum(n for k, n in pushes.items() if k <= w)
        cause: str | None = None
        for i, (was, now) in enumerate(zip(before, after, strict=True), start=1):
            base = was + dt.timedelta(weeks=shift)
            if base == now:
                continue
            slot = f"W{w + 1}S{i}"
            if base in off:
                why = off[base]
                cause = cause or f"room for {slot} ({off[base]})"
            else:
                why = cause or "spacing from the week before"
            records.append((slot, base, now, why))
    return records
