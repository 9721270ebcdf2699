"""The step back after a long break (pure): the first week back from a pause the person
asked for (``planner pause``) asks for no more than what was last done, or a step less.

Strength and fitness gained in training start to fade after a few weeks without it (Mujika
& Padilla 2000, "Detraining: loss of training-induced physiological and performance
adaptations", Sports Medicine; Bosquet et al. 2013, "Effect of training cessation on
muscular performance: a meta-analysis", Scandinavian Journal of Medicine & Science in
Sports). How far to step back is a [planner default]:

- a break of at least ``break_weeks`` weeks (``AdaptSettings.break_weeks``): the first week
  back repeats the last completed week, each exercise entry held at no more than what was
  last done;
- a break of at least twice that: each entry one step below what was last done. (Going back
  to the previous phase's exercises is not possible here: a phase's entries are its own.)

Either way the phase is lengthened by that week (an ``extend``), so no week of the plan is
lost. Nothing here raises a dose: decisions are only ever lowered, and while a safety stop
stands after red flags it already holds every dose, so the step back only says so.

Hooked into :func:`planner.training.week_rules.decide_week`, so every adapt run keeps it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from planner.models.adapt import Adjustment
from planner.models.plan import Plan, PlanPause
from planner.plan.adjustments import COMEBACK_RULE
from planner.training.evidence import dose_limits, managed_limits, tighter
from planner.training.week_inputs import (
    Outcome,
    Regenerate,
    WeekInputs,
    adjustment,
    sessions_before,
    since_swap,
)

# The week's own rules: the shape of planner.training.week_rules.decide_week.
Decide = Callable[[WeekInputs, Regenerate, bool], Outcome]

WHY = (
    "strength and fitness start to fade after a few weeks without training (Mujika & "
    "Padilla 2000; Bosquet et al. 2013); how far to step back is a planner default"
)


@dataclass(frozen=True, slots=True)
class Comeback:
    """A long break behind the plan: the pause, the first week back, and whether it was
    long enough for a step below what was last done (``lower``)."""

    pause: PlanPause
    week: int
    lower: bool


def first_week_back(plan: Plan, pause: PlanPause) -> int | None:
    """The first plan week whose every session is on or after the pause's end."""
    if pause.end is None:
        return None
    weeks: dict[int, list[dt.date]] = {}
    for s in plan.sessions:
        weeks.setdefault(s.week, []).append(s.date)
    after = [w for w, dates in weeks.items() if min(dates) >= pause.end]
    return min(after, default=None)


def comeback(plan: Plan, break_weeks: int, week: int) -> Comeback | None:
    """The latest break of at least ``break_weeks`` weeks whose first week back is
    ``week`` or before (None: there is none)."""
    found = None
    for pause in sorted(plan.options.pauses, key=lambda p: p.start):
        days = pause.days
        if days is None or days < break_weeks * 7:
            continue
        back = first_week_back(plan, pause)
        if back is not None and 1 < back <= week:
            found = Comeback(pause, back, days >= 2 * break_weeks * 7)
    return found


def _sorted(adjustments: set[Adjustment]) -> tuple[Adjustment, ...]:
    return tuple(sorted(adjustments, key=lambda a: (a.week, a.kind, a.model_dump_json())))


def _phase_end(layout: Plan, phase: str) -> int:
    return max(s.week for s in layout.sessions if s.phase == phase)


def _extend(inputs: WeekInputs, back: Comeback) -> Adjustment | None:
    """The extra week of the phase the break interrupted, unless an earlier run made it."""
    phase = next(s.phase for s in inputs.plan.sessions if s.week == back.week - 1)
    if any(a.kind == "extend" and a.phase == phase and a.week >= back.week for a in inputs.keep):
        return None
    week = _phase_end(inputs.layout, phase) + 1
    if week < inputs.week:
        return None
    return adjustment(
        week,
        "extend",
        COMEBACK_RULE,
        f"the {phase} phase gets one more week for the week after your break of "
        f"{back.pause.days} days, so no week of the plan is lost",
        phase=phase,
    )


def _lowered(inputs: WeekInputs, a: Adjustment, lower: bool, back_days: int) -> Adjustment:
    """``a`` (an entry's decision for the first week back) at no more than what was last
    done, a step below it after a longer break; never higher than ``a`` itself."""
    key = a.key
    if key is None or a.kind == "substitute":
        return a
    evidence = since_swap(inputs, key)
    ladder = inputs.plan.band_ladder()
    last: dict[str, object] = managed_limits(evidence[-1], ladder) if evidence else {}
    if not last:
        now = [rx for s in sessions_before(inputs, key[0]) for i, rx in s.entries() if i == key[1]]
        last = dose_limits(now[0]) if now else {}
    current = {f: getattr(a, f) for f in ("sets", "count", "seconds", "load", "band")}
    limits = tighter({k: v for k, v in current.items() if v is not None}, last, ladder)
    kind = "regress" if lower or a.kind == "regress" else "hold"
    name = next(
        (rx.name for s in sessions_before(inputs, key[0]) for i, rx in s.entries() if i == key[1]),
        a.exercise or "the exercise",
    )
    days = back_days
    if kind == "regress" and a.kind != "regress":
        reason = (
            f"{name} one step below what you last did: you are back from a break of {days} days."
        )
    elif kind == "regress":
        reason = f"{a.reason} You are back from a break of {days} days too."
    elif a.kind == "progress":
        reason = f"{name} stays at what you last did: you are back from a break of {days} days."
    else:
        reason = (
            f"{a.reason} No more than what you last did: you are back from a break of {days} days."
        )
    return a.model_copy(
        update={
            "kind": kind,
            "rule": "back from a long break: " + ("step back" if lower else "repeat last week"),
            "reason": reason,
            **limits,
        }
    )


def with_comeback(
    inputs: WeekInputs, regenerate: Regenerate, decide: Decide, week_done: bool
) -> Outcome:
    """``decide(inputs, regenerate, week_done)`` (the week's own rules) with the step back
    after a long break applied to the week being decided, if it is the first week back,
    and the phase's extra week kept until it comes."""
    back = comeback(inputs.plan, inputs.settings.break_weeks, inputs.week)
    # Nothing done before the break: there is nothing to step back from.
    if back is None or not any(inputs.log.by_week.values()):
        return decide(inputs, regenerate, week_done)
    if inputs.state.paused:
        outcome = decide(inputs, regenerate, week_done)
        if back.week != inputs.week:
            return outcome
        return outcome + Outcome(
            info=(
                f"back from a break of {back.pause.days} days; the safety stop after red "
                "flags still holds every dose, so nothing steps up",
            )
        )
    extend = _extend(inputs, back)
    extra: tuple[Adjustment, ...] = ()
    if extend is not None:
        extra = (extend,)
        # The week's rules see the phase going on (no phase gate in the week added).
        layout = regenerate(_sorted({*inputs.layout.adjustments, extend}))
        inputs = replace(inputs, layout=layout)
    outcome = decide(inputs, regenerate, week_done)
    if back.week != inputs.week:
        return Outcome(extra) + outcome
    decided = tuple(
        _lowered(inputs, a, back.lower, back.pause.days or 0) for a in outcome.adjustments
    )
    step = (
        "each exercise one step below what you last did"
        if back.lower
        else f"the doses of week {back.week - 1} again, no more than what you last did"
    )
    info = (
        f"back after a break of {back.pause.days} days: week {back.week} asks for {step}, "
        f"and the phase gets one more week ({WHY})",
    )
    return Outcome(extra + decided, outcome.advice, info + outcome.info)
