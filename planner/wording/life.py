"""Life events in words (pure): pauses the person asked for, sessions that wait in one,
sessions skipped, missed or moved.

A pause is the person's own break (``planner pause``); it has nothing to do with the safety
stop after red flags, and nothing here mentions that (the words never mix the two).
"""

import datetime as dt
from collections.abc import Iterable

from planner.models.plan import Plan, PlanPause, Session

WAITING_MARK = "waiting"
SKIPPED_MARK = "skipped"
WAITING_NOTE = "Waiting: this session falls in your pause; it moves to a later day when you resume."


def short_day(date: dt.date) -> str:
    """``Wed 16 Dec``."""
    return f"{date:%a} {date.day} {date:%b}"


def pause_text(pause: PlanPause, name: str | None = None) -> str:
    """One pause in words: how long and what it did to the sessions, or, while it is still
    open, that the sessions wait and how to come back."""
    note = f" ({pause.note})" if pause.note else ""
    if pause.end is None:
        back = f"'planner resume {name or 'PLAN'}'"
        return (
            f"Paused since {short_day(pause.start)}{note}: the sessions from then wait; "
            f"run {back} when you are back"
        )
    last = pause.end - dt.timedelta(days=1)
    days = pause.days or 0
    when = (
        f"on {short_day(pause.start)}"
        if last == pause.start
        else f"from {short_day(pause.start)} to {short_day(last)}"
    )
    return (
        f"Paused {when}{note}: the sessions after it moved {days} "
        f"day{'s' if days != 1 else ''} later"
    )


def pause_lines(plan: Plan, name: str | None = None) -> list[str]:
    """Every pause of the plan, oldest first."""
    return [pause_text(p, name) for p in sorted(plan.options.pauses, key=lambda p: p.start)]


def skipped_slots(plan: Plan) -> frozenset[str]:
    """Sessions the person recorded as missed on purpose (``planner skip``)."""
    return frozenset(
        {s.slot for s in plan.options.skipped} | {s.slot for s in plan.sessions if s.skipped}
    )


def is_skipped(plan: Plan, session: Session) -> bool:
    """Whether ``session`` is one of :func:`skipped_slots`, without listing them all (a
    view asks it of every session)."""
    return session.skipped or any(s.slot == session.slot for s in plan.options.skipped)


def missed_slots(plan: Plan, logged: Iterable[str], today: dt.date) -> frozenset[str]:
    """Sessions missed on ``today``: not logged (``logged`` are the slots with an entry),
    and skipped or dated before today, and not waiting in an open pause (those have not
    happened yet: they move when the person resumes)."""
    done = set(logged)
    skipped = skipped_slots(plan)
    return frozenset(
        s.slot
        for s in plan.sessions
        if s.slot not in done and (s.slot in skipped or (s.date < today and not s.waiting))
    )


def skip_note(plan: Plan, slot: str) -> str | None:
    """The note the person gave when skipping ``slot`` (None: none, or not skipped)."""
    return next((s.note for s in plan.options.skipped if s.slot == slot), None)


def status_text(plan: Plan, session: Session, missed: frozenset[str]) -> str:
    """``missed``, ``skipped: away``, ``waiting`` or "" for a session done or to come."""
    if session.slot in missed and is_skipped(plan, session):
        note = skip_note(plan, session.slot)
        return f"{SKIPPED_MARK}: {note}" if note else SKIPPED_MARK
    if session.slot in missed:
        return "missed"
    if session.waiting:
        return WAITING_MARK
    return ""


def missed_lines(plan: Plan, missed: frozenset[str]) -> list[str]:
    """``W3S2 Wed 16 Dec — missed`` for every missed or skipped session, in plan order."""
    return [
        f"{s.slot} {short_day(s.date)} — {status_text(plan, s, missed)}"
        for s in plan.sessions
        if s.slot in missed
    ]


def moved_lines(plan: Plan) -> list[str]:
    """``W3S2 moved from Wed 16 Dec to Thu 17 Dec: why`` for every moved session."""
    return [
        f"{m.slot} moved from {short_day(m.planned)} to {short_day(m.date)}: {m.why}"
        for m in plan.moved
    ]


def life_lines(plan: Plan, name: str | None = None) -> list[str]:
    """The pauses, then the moved sessions: what ``show`` and the printouts list before
    the weeks."""
    return pause_lines(plan, name) + moved_lines(plan)


def session_marks(plan: Plan, session: Session) -> list[str]:
    """Title marks for a calendar event or a printed session: ``waiting``, ``skipped``."""
    marks = []
    if session.waiting:
        marks.append(WAITING_MARK)
    if is_skipped(plan, session):
        marks.append(SKIPPED_MARK)
    return marks


def session_life_notes(plan: Plan, session: Session) -> list[str]:
    """Lines a session's description and printout carry: that it waits in a pause, or that
    it was skipped (with the person's note)."""
    notes = []
    if session.waiting:
        notes.append(WAITING_NOTE)
    if is_skipped(plan, session):
        note = skip_note(plan, session.slot)
        notes.append(f"Skipped: {note}." if note else "Skipped: you recorded it as missed.")
    return notes
