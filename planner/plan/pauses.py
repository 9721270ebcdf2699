"""Pauses and hand-moved sessions in the schedule (pure).

TO BUILD (issue 18, helper "pauses"): until then the schedule is returned unchanged.
"""

from planner.models.plan import PlanPause, SessionMove
from planner.plan.schedule import PhaseDays, Schedule


def shift_for_pauses(schedule: Schedule, pauses: tuple[PlanPause, ...]) -> Schedule:
    """``schedule`` with every session on or after a pause's start moved later by its length
    (an open pause marks them waiting instead)."""
    del pauses
    return schedule


def apply_moves(
    schedule: Schedule, moves: tuple[SessionMove, ...], phases: list[PhaseDays]
) -> Schedule:
    """``schedule`` with each session the person moved on the day they chose."""
    del moves, phases
    return schedule
