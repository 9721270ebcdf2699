"""The adapt rules for one week (pure): what each exercise does next (progress, hold, step
back, swap) and what the whole plan does (extra deload week, another week of a phase, a
clinical review), from the judged log and the safety state.

Each rule is a function of the frozen :class:`~planner.training.week_inputs.WeekInputs`
that returns its decisions; :func:`decide_week` runs them in order: the phase gate
(:mod:`planner.training.phase_gate`), the progressions-frozen check, one decision per
exercise entry (:func:`decide_entry`, which swaps an exercise by
:mod:`planner.training.swap_rule`), then the reactive deload
(:mod:`planner.training.deload_rule`), which reads the entries' decisions.

Domain: double progression and 2-for-2 (ACSM 2009; NSCA), the pain-monitoring model
(Silbernagel 2007; MyKneeCap), deloads (Bell 2022; Rogerson 2024) and phase criteria built
on them. Red flags are not decided here: while the safety state is paused, nothing moves up
and no phase ends (see :mod:`planner.training.safety_state` and :mod:`planner.training.pause`).
"""

from planner.models.adapt import Adjustment
from planner.models.common import EntryKey
from planner.models.plan import Plan, Prescription, Session
from planner.training.comeback import with_comeback
from planner.training.deload_rule import reactive_deload
from planner.training.evidence import (
    Evidence,
    dose_limits,
    managed_limits,
    own_streak,
    streak,
    tighter,
)
from planner.training.missed import after_missed, missed_week_limits, repeat_missed, week_missed
from planner.training.pause import held_doses
from planner.training.phase_gate import phase_may_end
from planner.training.swap_rule import swap_for_easier
from planner.training.week_inputs import (
    Outcome,
    Regenerate,
    WeekInputs,
    adjustment,
    resuming,
    sessions_before,
    since_swap,
    told,
)
from planner.wording.plan import day_text


def frozen_reason(inputs: WeekInputs) -> str:
    """Why progressions are frozen for the week (empty if they are not): weekly pain
    that rose, or a morning above the hold threshold in the week before."""
    log, s, week = inputs.log, inputs.settings, inputs.week
    now, before = log.week_pain(week - 1), log.week_pain(week - 2)
    for label, a, b in (
        ("during exercise", now[0], before[0]),
        ("in the morning", now[1], before[1]),
    ):
        if a is not None and b is not None and a > b + s.weekly_pain_margin:
            return f"mean pain {label} rose from {b:.1f} to {a:.1f} in week {week - 1}"
    high = [c for c in log.week_mornings(week - 1) if c.morning_pain > s.morning_pain_max]
    if high:
        worst = max(high, key=lambda c: c.morning_pain)
        return (
            f"morning pain was {worst.morning_pain}/10 on {day_text(worst.date)}, above "
            f"{s.morning_pain_max}/10"
        )
    return ""


def decide_entry(
    inputs: WeekInputs, key: EntryKey, frozen: str, decided: tuple[Adjustment, ...] = ()
) -> Adjustment:
    """Decide one exercise entry of a phase: substitute, regress, hold or progress.

    Args:
        inputs: what the run knows.
        key: the entry (phase, index of the exercise in its sessions).
        frozen: why progressions are frozen this week (see :func:`frozen_reason`), or "".
        decided: this run's weekly decisions so far (a stand-in another entry was just
            given is not chosen twice).
    """
    s, week = inputs.settings, inputs.week
    evidence = since_swap(inputs, key)
    last_week = [e for e in evidence if e.session.week == week - 1]
    current = _current(inputs, key)
    name = (
        inputs.library[current.exercise].name
        if current.exercise in inputs.library
        else current.name
    )
    where = _where(key, current)
    ladder = inputs.plan.band_ladder()
    if not last_week:
        return _not_logged(inputs, key, name, evidence, where)
    last = evidence[-1]
    # One session of the week that called for a step back is enough: later sessions
    # at lower pain do not make it go away.
    hurt = next((e for e in reversed(last_week) if e.verdict.kind == "regress"), None)
    hurt = hurt or _across_deload(inputs, key, evidence)
    if hurt is not None:
        return _hurt(inputs, key, current, name, evidence, hurt, where, decided)
    if last.verdict.kind == "hard" and streak(evidence, ("hard", "regress")) >= 2:
        return adjustment(
            week,
            "regress",
            "short of the dose twice in a row: step back",
            f"{name} one step back: {last.verdict.reason}.",
            **where,
            **managed_limits(last, ladder),
        )
    # A week missed in full breaks the row (see planner.training.missed).
    row = after_missed(inputs.plan, inputs.missed, key, evidence, week)
    ready = streak(row, ("ready",)) >= s.sessions_to_progress
    broken = not ready and streak(evidence, ("ready",)) >= s.sessions_to_progress
    paused = inputs.state.paused
    back = resuming(inputs)
    if ready and not paused and not frozen and not back:
        return adjustment(
            week,
            "progress",
            f"{s.sessions_to_progress} sessions in a row in full at low pain: move up",
            f"{name} moves up one step: the last {s.sessions_to_progress} sessions "
            "were done in full at low pain.",
            **where,
        )
    limits: dict[str, object] = {}
    if paused:
        rule = "red flags: no progression while the safety stop stands"
        reason = "the safety stop for red flags stands"
    elif ready and back:
        rule = "the first week after the safety stop: no step up yet"
        reason = "the safety stop for red flags has just been lifted"
    elif ready:
        rule, reason = "progressions frozen for a week", frozen
        limits = managed_limits(last, ladder)
    elif broken:
        rule = f"a week was missed: {s.sessions_to_progress} in a row in full to move up"
        reason = "a week was missed since it was last done in full"
    elif last.verdict.kind == "ready":
        rule = f"one good session so far; {s.sessions_to_progress} in a row to move up"
        reason = last.verdict.reason
    else:
        rule, reason = last.verdict.rule, last.verdict.reason
        # Held for a reason (pain, reps short, effort, a lighter load): no more than
        # what was done, also when that was a light week.
        limits = managed_limits(last, ladder)
    if back:
        # Back from a pause: go on from what was done while held (a deload week aside,
        # which is lighter on purpose), never above the held dose itself.
        full = [e for e in evidence if not e.session.deload] or evidence
        limits = tighter(managed_limits(full[-1], ladder), _held(inputs, key), ladder)
    return adjustment(
        week, "hold", rule, f"{name} stays at last week's dose: {reason}.", **where, **limits
    )


def _where(key: EntryKey, current: Prescription) -> dict[str, object]:
    """The fields that say which entry an adjustment is about (see
    :class:`planner.models.adapt.Adjustment` for why the index is stored as ``slot``)."""
    phase, index = key
    return {"phase": phase, "slot": index, "exercise": current.exercise}


def _not_logged(
    inputs: WeekInputs,
    key: EntryKey,
    name: str,
    evidence: list[Evidence],
    where: dict[str, object],
) -> Adjustment:
    """An entry with no log last week."""
    ladder = inputs.plan.band_ladder()
    if evidence and _unanswered(inputs, key, evidence[-1]):
        # It hurt when it was last done and nothing has stepped it back since: a week
        # without a log does not make that go away.
        last = evidence[-1]
        reason = f"{last.verdict.reason}, and it has not been logged since"
        return _regress(inputs, name, last, reason, where)
    # It stays, and after a gap it asks for no more than was last done; back from a
    # pause, no more than the held dose either.
    limits = managed_limits(evidence[-1], ladder) if evidence else {}
    if resuming(inputs):
        limits = tighter(limits, _held(inputs, key), ladder)
    # After a week missed in full: no more than that week asked for (it is repeated).
    limits = tighter(limits, missed_week_limits(inputs, key), ladder)
    return adjustment(
        inputs.week,
        "hold",
        "no log for this exercise last week: hold",
        f"{name} was not logged in week {inputs.week - 1}, so it stays where it was.",
        **where,
        **limits,
    )


def _hurt(
    inputs: WeekInputs,
    key: EntryKey,
    current: Prescription,
    name: str,
    evidence: list[Evidence],
    hurt: Evidence,
    where: dict[str, object],
    decided: tuple[Adjustment, ...],
) -> Adjustment:
    """An entry with a session last week that called for a step back: swap or regress."""
    backs = own_streak(evidence)
    paused = inputs.state.paused
    swap = backs >= inputs.settings.regressions_to_substitute and current.exercise in inputs.library
    # No swap while paused: a new exercise has no tolerated dose to hold it to, and what
    # to do instead is the clinician's call then.
    if swap and not paused:
        stand_in = swap_for_easier(inputs, key, current, name, evidence, where, decided)
        if stand_in is not None:
            return stand_in
    advice = ""
    if swap:
        advice = (
            " Ask your physiotherapist what to do instead: no exercise is swapped in "
            "while the safety stop stands."
            if paused
            else " No easier exercise fits your options: ask a physiotherapist what to do instead."
        )
    return _regress(inputs, name, hurt, hurt.verdict.reason + "." + advice, where)


def _regress(
    inputs: WeekInputs, name: str, hurt: Evidence, reason: str, where: dict[str, object]
) -> Adjustment:
    return adjustment(
        inputs.week,
        "regress",
        hurt.verdict.rule,
        f"{name} one step back: {reason}",
        **where,
        **managed_limits(hurt, inputs.plan.band_ladder()),
    )


def _held(inputs: WeekInputs, key: EntryKey) -> dict[str, object]:
    """The entry's exercise's dose in its latest session held by the pause (a deload week
    aside), as limits: back from a pause nothing asks for more than that.

    By exercise, not by entry: new options may have put another exercise in the entry's
    place while held, and its dose there says nothing about this one."""
    held = held_doses(inputs.plan, inputs.week).get(_current(inputs, key).exercise)
    return {} if held is None else dose_limits(held)


def _new_phase_held(inputs: WeekInputs, phase: str) -> Outcome:
    """Back from a pause in the week the next phase starts: each of its entries that the
    pause held (the same exercise, wherever it stood) starts at no more than its held
    dose, and the climb goes on from there the week after."""
    held = held_doses(inputs.plan, inputs.week)
    first = next(
        (s for s in inputs.layout.sessions if s.week == inputs.week and s.phase == phase), None
    )
    if first is None:
        return Outcome()
    decided = []
    # Every entry of the phase, also those first done later (a day or week of their own):
    # a hold decided now waits for the entry's first week.
    starting = [x for x in inputs.layout.sessions if x.week >= inputs.week and x.phase == phase]
    for index, rx in _by_entry(starting).items():
        if rx.exercise not in held:
            continue
        decided.append(
            adjustment(
                inputs.week,
                "hold",
                "the first week after the safety stop: no more than while held",
                f"{rx.name} starts the {phase} phase at no more than its dose while "
                "the safety stop stood.",
                phase=phase,
                slot=index,
                exercise=rx.exercise,
                **dose_limits(held[rx.exercise]),
            )
        )
    return Outcome(tuple(decided))


def _across_deload(inputs: WeekInputs, key: EntryKey, evidence: list[Evidence]) -> Evidence | None:
    """A step back called for before a deload week and not made yet: a light week
    logged since proves nothing about the full dose, so it still stands."""
    for e in reversed(evidence):
        if e.verdict.kind == "regress":
            return e if _unanswered(inputs, key, e) else None
        if not e.session.deload:
            return None
    return None


def _unanswered(inputs: WeekInputs, key: EntryKey, last: Evidence) -> bool:
    """Whether ``last`` called for a step back that no later decision has made."""
    return last.verdict.kind == "regress" and not any(
        a.key == key and a.kind in ("regress", "substitute") and a.week > last.session.week
        for a in inputs.keep
    )


def _by_entry(sessions: list[Session]) -> dict[int, Prescription]:
    """Each entry done in ``sessions`` with its prescription in the first session that has
    it (a week's sessions of one day prescribe the same), in entry order.

    A week the template gives an entry's place to another exercise (a pinned exercise)
    counts only when the week has nothing else of the entry."""
    found: dict[int, Prescription] = {}
    for session in sessions:
        for index, rx in session.entries():
            if index not in found or (found[index].pinned and not rx.pinned):
                found[index] = rx
    return dict(sorted(found.items()))


def _current(inputs: WeekInputs, key: EntryKey) -> Prescription:
    """The entry's prescription in the week before the one decided, its own exercise
    rather than one the template put in for that week only, where it has been done."""
    phase, index = key
    rx = _by_entry(sessions_before(inputs, phase))[index]
    if not rx.pinned:
        return rx
    earlier = [x for x in inputs.plan.sessions if x.phase == phase and x.week < inputs.week - 1]
    own = [r for x in earlier for i, r in x.entries() if i == index and not r.pinned]
    return own[-1] if own else rx


def phase_of(plan: Plan, week: int) -> str:
    """The phase of a plan week."""
    return next(s.phase for s in plan.sessions if s.week == week)


def decide_week(inputs: WeekInputs, regenerate: Regenerate, week_done: bool) -> Outcome:
    """One week's decisions (see :func:`_decide_week`), stepped back in the first week
    after a long break the person asked for (:mod:`planner.training.comeback`)."""
    return with_comeback(inputs, regenerate, _decide_week, week_done)


def _decide_week(inputs: WeekInputs, regenerate: Regenerate, week_done: bool) -> Outcome:
    """One week's decisions, plan-wide first (phase end), then each exercise entry, then
    the reactive deload.

    Args:
        inputs: what the run knows (the week being decided among it).
        regenerate: builds the plan with given adjustments (the phase gate reads the
            template's own doses from it).
        week_done: whether the week before is over (every session logged or past).
    """
    plan, week = inputs.plan, inputs.week
    paused = inputs.state.paused
    # A week missed in full is repeated, logs or none (while a safety stop stands nothing
    # moves on anyway). Without a log nothing else can be decided.
    repeat = not paused and week > 1 and week_missed(plan, inputs.missed, week - 1)
    if week == 1 or not (repeat or any(inputs.log.by_week.values())):
        return told(
            "nothing logged before this week yet; "
            + (
                "every session stays held while the safety stop stands"
                if paused
                else "the plan goes on as written"
            )
        )
    phase_before = phase_of(plan, week - 1)
    phase_now = phase_of(inputs.layout, week)
    outcome = Outcome()
    if paused:
        outcome = told(
            f"safety stop: nothing gets harder and the {phase_before} phase goes on until the "
            "safety stop is lifted"
        )
    elif repeat:
        outcome = repeat_missed(inputs, phase_before)
    elif phase_now != phase_before:
        if not week_done:
            return told(
                f"the {phase_before} phase goals are checked once week {week - 1} is over; "
                f"run adapt again then"
            )
        check = phase_may_end(inputs, regenerate, phase_before, phase_now)
        outcome = check.outcome
        if check.ends:
            # The new phase starts with its own doses; back from a pause, no more than
            # those held.
            return outcome + _new_phase_held(inputs, phase_now) if resuming(inputs) else outcome
    frozen = frozen_reason(inputs)
    # Each entry done in the week before, whatever day it was on; an entry not done then
    # keeps the decision made when it last was (the plan applies it when it comes back).
    entries = _by_entry(sessions_before(inputs, phase_before))
    decided: list[Adjustment] = list(outcome.adjustments)
    for index in entries:
        decided.append(decide_entry(inputs, (phase_before, index), frozen, tuple(decided)))
    if frozen:
        decided += _frozen_absent(inputs, phase_before, set(entries), frozen)
    entry_decisions = tuple(decided[len(outcome.adjustments) :])
    outcome += Outcome(entry_decisions)
    return outcome + reactive_deload(inputs, entry_decisions)


def _frozen_absent(
    inputs: WeekInputs, phase: str, decided: set[int], frozen: str
) -> list[Adjustment]:
    """Holds for the entries of this week not done the week before (another day or week
    of their own): a week with progressions frozen freezes them too."""
    now = [x for x in inputs.layout.sessions if x.week == inputs.week and x.phase == phase]
    out = []
    for index, rx in _by_entry(now).items():
        if index in decided or rx.pinned:
            continue
        out.append(
            adjustment(
                inputs.week,
                "hold",
                "progressions frozen for a week",
                f"{rx.name} stays at its last dose: {frozen}.",
                phase=phase,
                slot=index,
                exercise=rx.exercise,
            )
        )
    return out
