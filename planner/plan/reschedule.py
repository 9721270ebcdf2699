"""The schedule bent to real life (pure): pauses the person asked for, days off (their own
``--skip`` days and public holidays) and sessions they moved by hand.

Applied in this order to the weekday rhythm of :func:`planner.plan.schedule.build_schedule`:
a pause moves everything after it; a session that then falls on a day off moves to a free
day of its week (:mod:`planner.plan.days_off`); a session the person moved themselves goes
where they said, last, because it is their explicit choice.
"""

import datetime as dt

from planner.models.plan import Moved, PlanOptions
from planner.plan.days_off import keep_days_off
from planner.plan.pauses import apply_moves, shift_for_pauses
from planner.plan.schedule import PhaseDays, Schedule


def reschedule(schedule: Schedule, options: PlanOptions, phases: list[PhaseDays]) -> Schedule:
    """``schedule`` with the person's pauses, days off and moves applied, in that order."""
    shifted = shift_for_pauses(schedule, options.pauses)
    off = keep_days_off(shifted, options, phases)
    return apply_moves(off, options.moves, phases)


def moved_sessions(schedule: Schedule) -> tuple[Moved, ...]:
    """One record per session the schedule moved: from its first planned day to where it
    ends up, with every reason in order (none if it ends up on its planned day)."""
    first: dict[str, tuple[str, ...]] = {}
    planned: dict[str, dt.date] = {}
    final: dict[str, dt.date] = {}
    for slot, before, after, why in schedule.moved:
        planned.setdefault(slot, before)
        final[slot] = after
        first[slot] = (*first.get(slot, ()), why)
    return tuple(
        Moved(slot=slot, planned=planned[slot], date=final[slot], why="; ".join(whys))
        for slot, whys in first.items()
        if planned[slot] != final[slot]
    )
