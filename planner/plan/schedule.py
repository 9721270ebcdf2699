"""Turn a start date, chosen weekdays and phase lengths into session dates (pure).

Weeks are seven-day windows counted from the first session, so every week holds each
chosen weekday exactly once and slot ``W3S2`` always means the same thing.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import combinations

from planner.errors import ScheduleError
from planner.models.common import WEEKDAYS


@dataclass(frozen=True, slots=True)
class PhaseDays:
    """How many sessions a phase wants each week and how far apart they should be."""

    name: str
    weeks: int
    sessions_per_week: int
    min_hours_between: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """Session dates week by week, the weekdays each phase uses, and any warnings."""

    weeks: tuple[tuple[dt.date, ...], ...]
    phase_days: tuple[tuple[str, ...], ...]
    warnings: tuple[str, ...]
    # Sessions (slot) put on another day than the weekday rhythm gives: (slot, planned,
    # date, why). A slot moved by several steps has one record per step, in order.
    moved: tuple[tuple[str, dt.date, dt.date, str], ...] = ()
    # Slots that fall in a pause with no end yet: they keep their dates until resumed.
    waiting: frozenset[str] = frozenset()


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = (
    dict(zip(WEEKDAYS, WEEKDAYS, strict=True))
    | dict(zip(_FULL_NAMES, WEEKDAYS, strict=True))
    | {"tues": "tue", "thur": "thu", "thurs": "thu"}
)


def parse_days(text: str) -> tuple[str, ...]:
    """Parse ``mon,wed,fri`` (any case, full names allowed) into sorted weekday codes."""
    days: list[str] = []
    for raw in text.split(","):
        code = _DAY_WORDS.get(raw.strip().lower())
        if code is None:
            raise ScheduleError(
                f"--days: '{raw.strip()}' is not a weekday; use names like mon,wed,fri"
            )
        days.append(code)
    if len(set(days)) != len(days):
        raise ScheduleError("--days: a weekday is listed twice; give each day once")
    return tuple(sorted(days, key=WEEKDAYS.index))


def _gaps(offsets: tuple[int, ...]) -> list[int]:
    """Days between consecutive sessions, wrapping into the next week."""
    return [(offsets[(i + 1) % len(offsets)] - o) % 7 or 7 for i, o in enumerate(offsets)]


def pick_days(offsets: tuple[int, ...], n: int) -> tuple[int, ...]:
    """Choose ``n`` of the weekly day offsets, spreading them as evenly as possible.

    Maximises the shortest gap (recovery), then keeps the earliest days; ties are broken
    the same way every time so the plan is deterministic.
    """
    if n >= len(offsets):
        return offsets
    return max(combinations(offsets, n), key=lambda c: (min(_gaps(c)), [-o for o in c]))


def build_schedule(start: dt.date, days: tuple[str, ...], phases: list[PhaseDays]) -> Schedule:
    """Date every session of every week.

    Raises:
        ScheduleError: when a phase wants more sessions a week than there are days.
    """
    need = max(p.sessions_per_week for p in phases)
    if len(days) < need:
        raise ScheduleError(
            f"--days: {len(days)} day(s) given but the plan needs {need} sessions a week; "
            f"choose at least {need} weekdays"
        )
    wanted = {WEEKDAYS.index(d) for d in days}
    first = next(
        start + dt.timedelta(i) for i in range(7) if (start + dt.timedelta(i)).weekday() in wanted
    )
    # Offsets of the chosen weekdays counted from the first session's weekday.
    offsets = tuple(sorted((w - first.weekday()) % 7 for w in wanted))
    weeks: list[tuple[dt.date, ...]] = []
    phase_days: list[tuple[str, ...]] = []
    warnings: list[str] = []
    week_no = 0
    for phase in phases:
        chosen = pick_days(offsets, phase.sessions_per_week)
        weekday_nos = sorted((first.weekday() + o) % 7 for o in chosen)
        phase_days.append(tuple(WEEKDAYS[w] for w in weekday_nos))
        shortest = min(_gaps(chosen)) * 24 if len(chosen) > 1 else 7 * 24
        if shortest < phase.min_hours_between:
            warnings.append(
                f"{phase.name} phase: sessions on {', '.join(phase_days[-1])} leave only "
                f"{shortest} h between some sessions; {phase.min_hours_between} h is advised "
                f"for strength work, so spread the days if you can"
            )
        for _ in range(phase.weeks):
            base = first + dt.timedelta(weeks=week_no)
            weeks.append(tuple(base + dt.timedelta(days=o) for o in chosen))
            week_no += 1
    return Schedule(tuple(weeks), tuple(phase_days), tuple(warnings))


def shortest_gap(days: tuple[str, ...]) -> int:
    """The fewest days between two sessions of a weekly rhythm on ``days`` (wrapping into
    the next week; 7 for one day a week)."""
    offsets = tuple(sorted(WEEKDAYS.index(d) for d in days))
    return min(_gaps(offsets)) if len(offsets) > 1 else 7


# The weekdays a plan uses when the person gives none, by sessions a week: spread over the
# week with the rest days between them, weekends free while they can be.
DEFAULT_DAYS: dict[int, tuple[str, ...]] = {
    1: ("mon",),
    2: ("tue", "fri"),
    3: ("mon", "wed", "fri"),
    4: ("mon", "tue", "thu", "fri"),
    5: ("mon", "tue", "wed", "thu", "fri"),
    6: ("mon", "tue", "wed", "thu", "fri", "sat"),
    7: WEEKDAYS,
}


def next_monday(today: dt.date) -> dt.date:
    """The coming Monday: after ``today``, so on a Monday the one a week later (a plan
    made today starts with a day to get ready, not with a session already due)."""
    return today + dt.timedelta(days=7 - today.weekday())
