"""The safety state as the printed documents show it (pure): the cover's status box and,
for each week, the check-ins and red flags reported in it.

The words are the terminal's (:mod:`planner.wording.safety_state`), so a printout never says
something different from what ``planner log`` or ``planner adapt`` printed.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.exporters.printout import Week
from planner.models.log import Checkin, Clearance
from planner.models.safety import Pause, RedFlagReport, SafetyReport
from planner.wording.plan import day_text
from planner.wording.safety_state import SEE_CLINICIAN, WHILE_PAUSED, status_line, to_lift_lines

# How the session note of a held session starts (written by planner.training.pause.hold): the
# documents mark such notes as safety notes.
ADVICE = f"{SEE_CLINICIAN} {WHILE_PAUSED}"


def flag_line(flag: RedFlagReport) -> str:
    """A red flag with its day: the flag's own words, prefixed by the day when they lack it."""
    day = day_text(flag.date)
    return flag.text if day in flag.text else f"{day}: {flag.text}"


def signs_text(checkin: Checkin) -> str:
    """``swelling, night pain``: a check-in's red-flag signs in words."""
    return ", ".join(sign.replace("-", " ") for sign in checkin.red_flags)


def checkin_line(checkin: Checkin) -> str:
    """``Tue 8 Dec 2026: morning pain 5/10; red-flag signs: swelling, night pain``."""
    line = f"{day_text(checkin.date)}: morning pain {checkin.morning_pain}/10"
    signs = signs_text(checkin)
    return f"{line}; red-flag signs: {signs}" if signs else line


def morning_text(checkins: Sequence[Checkin]) -> str:
    """``3/10, 5/10 (swelling)``: every check-in of one morning, in the order made."""
    parts = []
    for c in checkins:
        signs = signs_text(c)
        parts.append(f"{c.morning_pain}/10" + (f" ({signs})" if signs else ""))
    return ", ".join(parts)


def _pause_heading(pause: Pause) -> str:
    lifted = day_text(pause.lifted) if pause.lifted else "?"
    return f"Earlier safety stop from {day_text(pause.since)}, lifted on {lifted}: {pause.how}."


@dataclass(frozen=True, slots=True)
class StatusBox:
    """What the cover says about safety. ``paused`` asks for the alarming style; the
    tuples are empty when there is nothing of that kind to say."""

    paused: bool
    status: str
    standing: tuple[str, ...]
    advice: str
    to_lift: tuple[str, ...]
    earlier: tuple[tuple[str, tuple[str, ...]], ...]
    mornings: str
    clearances: tuple[str, ...]


def status_box(state: SafetyReport, clearances: Sequence[Clearance], name: str | None) -> StatusBox:
    """The cover's safety box for ``state``; ``name`` spells out the ``planner clear``
    command (a placeholder when the document does not know the plan's name)."""
    pause = state.standing
    earlier = tuple(
        (_pause_heading(p), tuple(flag_line(f) for f in p.flags))
        for p in state.pauses
        if p is not pause
    )
    mornings = ""
    if state.high_mornings:
        days = ", ".join(f"{day_text(day)} {pain}/10" for day, pain in state.high_mornings)
        mornings = (
            f"High morning pain on {len(state.high_mornings)} day(s): {days}. "
            "Progressions wait in the week after such a morning."
        )
    return StatusBox(
        paused=pause is not None,
        status=status_line(state),
        standing=() if pause is None else tuple(flag_line(f) for f in pause.flags),
        advice=ADVICE if pause is not None else "",
        to_lift=tuple(to_lift_lines(state, name)) if pause is not None else (),
        earlier=earlier,
        mornings=mornings,
        clearances=tuple(f"{day_text(c.date)}: {c.note}" for c in clearances),
    )


def week_of(day: dt.date, weeks: Sequence[Week]) -> int:
    """The plan week a day belongs to: the last week that has begun by then. A day before
    the plan counts with its first week, one after it with its last, so nothing reported
    is left out."""
    number = weeks[0].number
    for week in weeks:
        if week.sessions[0].date <= day:
            number = week.number
    return number


@dataclass(frozen=True, slots=True)
class WeekReports:
    """One week's check-ins (each one, in the order made) and red flags, in words."""

    checkins: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


def week_reports(
    weeks: Sequence[Week], checkins: Sequence[Checkin], state: SafetyReport | None
) -> dict[int, WeekReports]:
    """Every check-in and every red flag of ``state``, by the plan week it falls in."""
    if not weeks:
        return {}
    found: dict[int, tuple[list[str], list[str]]] = {}
    for c in sorted(checkins, key=lambda c: c.date):  # sorted() keeps a day's order
        found.setdefault(week_of(c.date, weeks), ([], []))[0].append(checkin_line(c))
    for flag in state.flags if state is not None else ():
        found.setdefault(week_of(flag.date, weeks), ([], []))[1].append(flag_line(flag))
    return {n: WeekReports(tuple(c), tuple(f)) for n, (c, f) in found.items()}
