"""Sessions kept off days off (pure): the person's ``--skip`` days and public holidays.

TO BUILD (issue 18, helper "days off"): until then the schedule is returned unchanged.
"""

from planner.models.plan import PlanOptions
from planner.plan.schedule import PhaseDays, Schedule


def keep_days_off(schedule: Schedule, options: PlanOptions, phases: list[PhaseDays]) -> Schedule:
    """``schedule`` with no session on a day off (see the module docstring)."""
    del options, phases
    return schedule
