"""Pauses and hand-moved sessions in the schedule (pure).

A pause the person asked for (``planner pause``) moves every session dated on or after its
start later by its length in days, exactly: sessions before the start stay where they are,
even in the week the pause starts. So the weekdays follow the shift: a 10-day pause from a
Wednesday moves the Wednesday sessions to Saturdays, the Friday ones to Mondays. A pause of
a whole number of weeks (or one that ends on the weekday it began) keeps the weekdays; the
``resume`` command says so. While a pause has no end yet its sessions keep their dates and
are marked waiting.

A session the person moved by hand (``planner move``) goes on the day they chose, last of
all: their explicit choice is never refused here. When a later change (other weekdays, a
pause) leaves a moved session out of order with its neighbours, it stays and the plan
warns.

The helpers at the end serve the life-event commands: a plan rebuilt with a new pause,
move or skip keeps every dose and takes only the new days (:func:`retimed`).
"""

import datetime as dt

from planner.models.plan import Plan, PlanPause, Session, SessionMove
from planner.plan.schedule import PhaseDays, Schedule

YOU_MOVED = "you moved it"


def _slot(week: int, index: int) -> str:
    return f"W{week}S{index}"


def shift_for_pauses(schedule: Schedule, pauses: tuple[PlanPause, ...]) -> Schedule:
    """``schedule`` with every session on or after a pause's start moved later by its length
    (an open pause marks them waiting instead).

    Pauses are applied in order of start, each in the dates the earlier ones give (the
    person pauses the plan as it stands). The shift is not recorded per session in
    ``Schedule.moved``: the pause itself is what the plan shows.
    """
    weeks = [list(week) for week in schedule.weeks]
    waiting = set(schedule.waiting)
    for pause in sorted(pauses, key=lambda p: p.start):
        days = pause.days
        for w, week in enumerate(weeks, start=1):
            for i, date in enumerate(week):
                if date < pause.start:
                    continue
                if days is None:
                    waiting.add(_slot(w, i + 1))
                else:
                    week[i] = date + dt.timedelta(days=days)
    return Schedule(
        weeks=tuple(tuple(week) for week in weeks),
        phase_days=schedule.phase_days,
        warnings=schedule.warnings,
        moved=schedule.moved,
        waiting=frozenset(waiting),
    )


def apply_moves(
    schedule: Schedule, moves: tuple[SessionMove, ...], phases: list[PhaseDays]
) -> Schedule:
    """``schedule`` with each session the person moved on the day they chose.

    Each move is recorded in ``Schedule.moved`` (slot, the day it had, the day chosen, the
    move's note or "you moved it"). A move is never refused: one whose session is no longer
    in the plan (fewer weeks now) or that ends up out of order with its neighbours is kept
    as it is and the plan says so in a warning.
    """
    del phases  # spacing is checked when the person moves a session, not on every build
    weeks = [list(week) for week in schedule.weeks]
    where = {
        _slot(w, i + 1): (w - 1, i)
        for w, week in enumerate(weeks, start=1)
        for i in range(len(week))
    }
    moved = list(schedule.moved)
    warnings = list(schedule.warnings)
    done: list[str] = []
    for move in moves:
        place = where.get(move.slot)
        if place is None:
            warnings.append(
                f"session {move.slot} you moved to {move.date.isoformat()} is no longer in the "
                "plan; the move is not used"
            )
            continue
        w, i = place
        before = weeks[w][i]
        if before != move.date:
            moved.append((move.slot, before, move.date, move.note or YOU_MOVED))
            weeks[w][i] = move.date
        done.append(move.slot)
    warnings += _out_of_order(weeks, done)
    return Schedule(
        weeks=tuple(tuple(week) for week in weeks),
        phase_days=schedule.phase_days,
        warnings=tuple(warnings),
        moved=tuple(moved),
        waiting=schedule.waiting,
    )


def _out_of_order(weeks: list[list[dt.date]], slots: list[str]) -> list[str]:
    """A warning for each moved session not strictly between its neighbours' dates."""
    order = [
        (_slot(w, i + 1), date)
        for w, week in enumerate(weeks, start=1)
        for i, date in enumerate(week)
    ]
    found = []
    for n, (slot, date) in enumerate(order):
        if slot not in slots:
            continue
        bad = []
        if n > 0 and order[n - 1][1] >= date:
            bad.append(f"{order[n - 1][0]} on {order[n - 1][1].isoformat()}")
        if n + 1 < len(order) and order[n + 1][1] <= date:
            bad.append(f"{order[n + 1][0]} on {order[n + 1][1].isoformat()}")
        if bad:
            found.append(
                f"session {slot}, moved to {date.isoformat()}, is out of order with "
                f"{' and '.join(bad)}; move it again with 'planner move' if that is not meant"
            )
    return found


def open_pause(plan: Plan) -> PlanPause | None:
    """The pause with no end yet, if the plan has one."""
    return next((p for p in plan.options.pauses if p.end is None), None)


def retimed(old: Plan, fresh: Plan) -> Plan:
    """``old`` with the days (and waiting, skipped marks) of ``fresh``, a rebuild of it
    with new life events: the doses of every session stay exactly as they were."""
    by_slot = {s.slot: s for s in fresh.sessions}

    def dated(s: Session) -> Session:
        new = by_slot.get(s.slot)
        if new is None:
            return s
        return s.model_copy(
            update={"date": new.date, "waiting": new.waiting, "skipped": new.skipped}
        )

    return old.model_copy(
        update={
            "options": fresh.options,
            "sessions": tuple(dated(s) for s in old.sessions),
            "moved": fresh.moved,
            "warnings": fresh.warnings,
        }
    )


def shift_moves(
    moves: tuple[SessionMove, ...], start: dt.date, days: int
) -> tuple[SessionMove, ...]:
    """Moves dated on or after a pause's start go later with the rest of the plan."""
    return tuple(
        m.model_copy(update={"date": m.date + dt.timedelta(days=days)}) if m.date >= start else m
        for m in moves
    )
