"""Adapt the plan to the training log (pure).

:func:`adapt` reads the saved plan, the whole log, the check-ins and the clearances. First
comes safety: the safety state (:mod:`planner.training.safety_state`) says whether
progression is paused by red flags; while it is, a ``stop`` keeps the phase in progress
going and every session not yet done is held (:mod:`planner.training.pause`), whatever week
it is in, and once the pause lifts a ``resume`` lets the plan climb again. Then the first
week that has not started is decided by the weekly rules (:mod:`planner.training.week_rules`):
functions of a frozen :class:`~planner.training.week_inputs.WeekInputs` that return their
decisions, which :func:`adapt` adds to the safety step's.
Sessions already logged, and weeks that are over, are copied over unchanged. The same log
gives the same plan: running adapt twice is a no-op.

:func:`hold_for_safety` is the safety part alone, for the commands that record what the
person reports (log, checkin, clear) and for new revisions of a plan.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.exercise import Exercise
from planner.models.log import Checkin, Clearance, LogEntry, Logged
from planner.models.plan import Plan
from planner.models.safety import SafetyReport
from planner.plan.adjustments import PlanAdjustments
from planner.plan.diff import Change, diff_sessions
from planner.training.evidence import JudgedLog
from planner.training.missed import missed_slots
from planner.training.pause import (
    current_phase,
    first_open_week,
    first_undecided_week,
    hold,
    keep_held,
    merge,
    open_slots,
    resume_cap,
)
from planner.training.safety_state import newest, safety_state
from planner.training.week_inputs import Regenerate, WeekInputs, adjustment
from planner.training.week_rules import decide_week


@dataclass(frozen=True, slots=True)
class Adapted:
    """What adapt decided and the plan that results (``changed`` = differs from before)."""

    plan: Plan
    week: int | None
    decided: tuple[Adjustment, ...]
    changes: tuple[Change, ...]
    advice: tuple[str, ...]
    info: tuple[str, ...]
    changed: bool
    state: SafetyReport


_KIND_ORDER = (
    "extend",
    "review",
    "stop",
    "resume",
    "deload",
    "substitute",
    "regress",
    "hold",
    "progress",
)


def _order(a: Adjustment) -> tuple[int, int, str, int, str]:
    where = -1 if a.slot is None else a.slot
    return (a.week, _KIND_ORDER.index(a.kind), a.phase or "", where, a.model_dump_json())


@dataclass(frozen=True, slots=True)
class _SafetyStep:
    """The safety step's decisions: ``carried`` are standing ones that stay, ``decided``
    new ones (a ``stop``, or a ``resume`` once the pause has lifted)."""

    carried: tuple[Adjustment, ...] = ()
    decided: tuple[Adjustment, ...] = ()
    # Lifts of an earlier stop planned after the first week that may still change: a red
    # flag has come since, so they no longer stand (they would end the stop and let the
    # next phase start while it stands).
    dropped: frozenset[Adjustment] = frozenset()


def _safety(
    plan: Plan,
    keep: tuple[Adjustment, ...],
    state: SafetyReport,
    entries: list[LogEntry],
    today: dt.date,
    week: int | None,
) -> _SafetyStep:
    """Stop progression while the state is paused; resume it once the pause has lifted
    (in ``week``, the week being decided; None: no week is)."""
    held_from = first_open_week(plan, entries, today)
    if state.paused and state.standing is not None:
        if held_from is None:
            return _SafetyStep()  # nothing left to hold
        standing = tuple(
            a for a in plan.adjustments if a.kind in ("stop", "resume") and a.week <= held_from
        )
        dropped = frozenset(
            a for a in plan.adjustments if a.kind == "resume" and a.week > held_from
        )
        if PlanAdjustments(standing).stopped(held_from):
            # Carry the standing stop over as it is: it may sit in the week being decided.
            carried = tuple(a for a in standing if a not in keep)
            return _SafetyStep(carried=carried, dropped=dropped)
        flags = "; ".join(f.text for f in state.standing.flags)
        stop = adjustment(
            held_from,
            "stop",
            "red flags: safety stop",
            f"red flags: {flags}. See a doctor or physiotherapist before training on.",
            phase=current_phase(plan, entries, today),
        )
        return _SafetyStep(decided=(stop,), dropped=dropped)
    if week is not None and PlanAdjustments(keep).stopped(week) and state.pauses:
        resume = adjustment(week, "resume", "safety stop lifted", f"{state.pauses[-1].how}.")
        return _SafetyStep(decided=(resume,))
    return _SafetyStep()


def _resume_waits(
    plan: Plan, layout: Plan, decided: tuple[Adjustment, ...], week: int, week_done: bool
) -> str:
    """Why a resume is taken back (empty: it is not): it would start the next phase before
    the goals of the one held can be checked (its last week is not over yet), so the
    phase stays until then."""
    if week_done or week < 2 or not any(a.kind == "resume" for a in decided):
        return ""
    held = next(s.phase for s in plan.sessions if s.week == week - 1)
    if next(s.phase for s in layout.sessions if s.week == week) == held:
        return ""
    return (
        f"the safety stop has been lifted; the {held} phase goals are checked once week "
        f"{week - 1} is over, and the plan goes on then: run adapt again after it"
    )


def _rebuild(
    plan: Plan,
    adjustments: tuple[Adjustment, ...],
    regenerate: Regenerate,
    state: SafetyReport,
    log: Sequence[Logged],
    checkins: Sequence[Checkin],
    settings: AdaptSettings,
    today: dt.date,
    until: int,
    previous: Plan | None = None,
) -> Plan:
    """The plan with ``adjustments``: done sessions kept, the others rebuilt and held.

    Sessions held by a pause that has just lifted stay held until ``until`` (the week being
    decided): the climb starts again from there, not in the middle of a week. While paused,
    nothing asks for more than in ``previous`` (default: ``plan``), the revision saved
    before.
    """
    if adjustments == plan.adjustments and not state.paused:
        return plan
    entries = newest(log)
    fresh = merge(plan, regenerate(adjustments), entries, today)
    if not state.paused:
        fresh = resume_cap(keep_held(plan, fresh, entries, today, until), entries, today)
    replaced = [item.entry for item in log if item.replaced]
    return hold(
        fresh,
        state,
        entries,
        settings,
        today,
        replaced=replaced,
        checkins=checkins,
        previous=previous or plan,
    )


def adapt(
    plan: Plan,
    regenerate: Regenerate,
    log: Sequence[Logged],
    checkins: Sequence[Checkin],
    clearances: Sequence[Clearance],
    library: dict[str, Exercise],
    settings: AdaptSettings,
    today: dt.date,
) -> Adapted:
    """Apply the safety state, decide the next week from the log and regenerate the plan.

    Args:
        plan: the latest saved revision (its adjustments are the decisions so far).
        regenerate: builds the plan from its template and options with given adjustments.
        log: every log entry ever written, replaced ones included (they count for safety;
            only the newest per session and exercise counts for the training rules).
        checkins: every morning check-in.
        clearances: every clinician clearance the person recorded.
        library: the exercise library (stand-ins are chosen from it).
        settings: the thresholds (the template's ``[adapt]`` table).
        today: logged sessions, and weeks that are over, never change.
    """
    entries = newest(log)
    state = safety_state(plan, log, checkins, clearances, settings, today)
    week = first_undecided_week(plan, entries, today)
    keep = tuple(a for a in plan.adjustments if week is None or a.week < week)
    safety = _safety(plan, keep, state, entries, today, week)
    keep = tuple(a for a in keep if a not in safety.dropped)
    carried, decided = safety.carried, safety.decided
    advice: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    if week is None:
        left = open_slots(plan, entries, today)
        info = (
            f"week {plan.weeks} is the last week: nothing more to decide"
            + ("; its sessions still to come are held" if state.paused and left else "")
            if left
            else "the plan is over; nothing left to adapt",
        )
    else:
        # Week ``week`` as it stands before this run's weekly decisions: the phase boundary
        # and planned deloads must not depend on an earlier run's decisions for the same
        # week, or a second run would undo the first.
        layout_of = tuple(sorted({*keep, *carried, *decided}, key=_order))
        layout = plan if layout_of == plan.adjustments else regenerate(layout_of)
        logged = {e.slot for e in entries}
        week_done = all(
            x.date < today or x.slot in logged for x in plan.sessions if x.week == week - 1
        )
        waits = _resume_waits(plan, layout, decided, week, week_done)
        if waits:
            decided = tuple(a for a in decided if a.kind != "resume")
            info = (waits,)
            without = tuple(sorted({*keep, *carried}, key=_order))
            layout = plan if without == plan.adjustments else regenerate(without)
        judged = JudgedLog(plan, entries, checkins, settings)
        inputs = WeekInputs(
            plan,
            judged,
            library,
            settings,
            week,
            keep,
            state,
            tuple(clearances),
            layout,
            earlier=decided,
            resume_waits=bool(waits),
            missed=missed_slots(plan, entries, today),
        )
        weekly = decide_week(inputs, regenerate, week_done)
        decided += weekly.adjustments
        advice, info = weekly.advice, info + weekly.info
    adjustments = tuple(sorted({*keep, *carried, *decided}, key=_order))
    until = week or plan.weeks + 1
    new_plan = _rebuild(plan, adjustments, regenerate, state, log, checkins, settings, today, until)
    changed = new_plan != plan
    start = first_open_week(plan, entries, today) or plan.weeks + 1
    changes = diff_sessions(plan, new_plan, start, decided) if changed else ()
    return Adapted(new_plan, week, decided, changes, advice, info, changed, state)


def hold_for_safety(
    plan: Plan,
    regenerate: Regenerate,
    log: Sequence[Logged],
    checkins: Sequence[Checkin],
    clearances: Sequence[Clearance],
    settings: AdaptSettings,
    today: dt.date,
    previous: Plan | None = None,
) -> tuple[Plan, SafetyReport]:
    """``plan`` held for the safety state (a stop added if it lacks one), and the state.

    ``previous`` is the revision saved before ``plan`` when ``plan`` is a new one (new
    options): nothing still to come asks for more than it did there. Returns ``plan``
    itself when nothing needs to change. No weekly decision is made: that is what
    ``planner adapt`` is for.
    """
    entries = newest(log)
    state = safety_state(plan, log, checkins, clearances, settings, today)
    if not state.paused:
        return plan, state
    safety = _safety(plan, plan.adjustments, state, entries, today, None)
    kept = {*plan.adjustments} - safety.dropped
    adjustments = tuple(sorted({*kept, *safety.carried, *safety.decided}, key=_order))
    until = plan.weeks + 1
    held = _rebuild(
        plan, adjustments, regenerate, state, log, checkins, settings, today, until, previous
    )
    return (plan if held == plan else held), state
