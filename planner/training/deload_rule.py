"""The reactive deload rule (pure): a lighter week when two exercises step back at once, or
progress stalls for two logged weeks (Bell 2022; Rogerson 2024), decided with the rest of
a week by :mod:`planner.training.week_rules`."""

from planner.models.adapt import Adjustment
from planner.training.evidence import streak
from planner.training.week_inputs import Outcome, WeekInputs, adjustment


def reactive_deload(inputs: WeekInputs, decided: tuple[Adjustment, ...]) -> Outcome:
    """A lighter week when two exercises step back at once, or progress stalls.

    ``decided`` is what the exercise rules decided for the week just before.
    """
    s, week = inputs.settings, inputs.week
    back = [a for a in decided if a.kind in ("regress", "substitute")]
    stalled = [w for w in range(week - s.stalled_weeks_for_deload, week) if _stalled(inputs, w)]
    deloads = set(inputs.layout.deload_weeks)
    if back and week - 1 in deloads and week not in deloads:
        # Pain even in a light week: going back to full volume now would raise the dose of
        # an exercise that just hurt, so the light week goes on.
        return Outcome(
            (
                adjustment(
                    week,
                    "deload",
                    "stepped back during a deload week: one more light week",
                    "one more light week, as the last one still hurt.",
                ),
            )
        )
    if {week - 1, week, week + 1} & deloads:
        return Outcome()
    if len(back) >= s.regressions_for_deload:
        # Said by name, as every other line the person reads; an id is only a fallback.
        known = inputs.library
        names = ", ".join(
            known[a.exercise].name if a.exercise in known else a.exercise or "" for a in back
        )
        rule = f"{len(back)} exercises stepped back in one week: reactive deload"
    elif len(stalled) == s.stalled_weeks_for_deload:
        names = ""
        rule = f"no exercise moved up for {len(stalled)} logged weeks: reactive deload"
    else:
        return Outcome()
    reason = (
        f"a lighter week to recover ({names} stepped back)."
        if names
        else f"a lighter week to recover; nothing moved up in weeks {stalled[0]}-{stalled[-1]}."
    )
    return Outcome((adjustment(week, "deload", rule, reason),))


def _stalled(inputs: WeekInputs, week: int) -> bool:
    """A logged week in which no exercise earned a step up."""
    if week < 1 or not inputs.log.by_week.get(week):
        return False
    for evidence in inputs.log.by_entry.values():
        upto = [e for e in evidence if e.session.week <= week]
        if (
            upto
            and upto[-1].session.week == week
            and streak(upto, ("ready",)) >= inputs.settings.sessions_to_progress
        ):
            return False
    return True
