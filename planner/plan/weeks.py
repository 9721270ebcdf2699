"""Each week of one phase, entry by entry (pure): the ladders of
:mod:`planner.plan.ladder` moved as the plan's adjustments say, on the days and in the
weeks each entry is done (:mod:`planner.plan.days`). :mod:`planner.plan.generate` dates
the sessions.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from planner.models.adapt import Adjustment
from planner.models.plan import Prescription
from planner.models.program import ExerciseEntry, Phase
from planner.plan.days import on_positions, trained_in
from planner.plan.ladder import EntryLadder
from planner.plan.progression import Dose, deload, load_increment

if TYPE_CHECKING:
    from planner.plan.generate import PlanBuild


def phase_weeks(
    phase: Phase,
    n_weeks: int,
    first_week: int,
    template_weeks: int,
    deloads: frozenset[int],
    build: "PlanBuild",
) -> Iterator[tuple[bool, dict[int, Prescription]]]:
    """Yield (is_deload, prescriptions by entry index) for each week of one phase.

    A head start (``--level``) counts the phase's first progression weeks as done before
    week 1; a starting load the person gave stays as given. Adjustments from ``planner
    adapt`` hold, step back or swap single entries from their week on. An entry not done
    in a week (its ``weeks``, or no session of its day) does not move on its ladder then,
    and an adjustment decided for such a week waits for the entry's next week: what the
    log said about it still holds when it comes back.
    """
    head = build.tailored.head_start
    ladders = [
        EntryLadder(
            on_positions(entry), build.look, head, (phase.name, index) in build.tailored.fixed_loads
        )
        for index, entry in enumerate(phase.exercises)
    ]
    adjusted = build.adjusted
    waiting: dict[int, Adjustment] = {}
    for offset in range(n_weeks):
        week = first_week + offset
        is_deload = week in deloads
        week_rx: dict[int, Prescription] = {}
        trained: list[Dose] = []
        if adjusted.stopped(week):
            # A step up decided before a pause is not taken after it.
            waiting = {i: a for i, a in waiting.items() if a.kind != "progress"}
        # The first week back from a pause climbs nothing: entries done the week before are
        # held at their held doses by adapt, and the others must not rise past them either.
        back = adjusted.stopped(week - 1) and not adjusted.stopped(week)
        for index, ladder in enumerate(ladders):
            adjustment = _more_careful(
                adjusted.move(week, phase.name, index), waiting.pop(index, None)
            )
            if not trained_in(phase.exercises[index], phase, offset + 1, template_weeks):
                if adjustment is not None:
                    waiting[index] = adjustment
                continue
            if not ladder.started:
                handed = _handed_on(
                    build, phase, index, (offset + 1, n_weeks, template_weeks), waiting
                )
                adjustment = _more_careful(adjustment, handed)
            if back and (adjustment is None or adjustment.kind == "progress"):
                adjustment = _back_from_pause(phase, index, week)
            # While paused, no exercise comes in that the pause has not held: the entry's
            # own exercise stays, at its held dose. So too after the log held, stepped back
            # or swapped the entry, or the exercise the template puts in: the week as
            # written assumed a person without that pain, and could be the harder move.
            careful = adjusted.stopped(week) or (
                adjustment is not None and adjustment.kind in _CAREFUL
            )
            swapped = None if careful else ladder.pinned_swap(offset + 1)
            if swapped is not None and (
                adjusted.troubled(swapped.exercise, week) or swapped.exercise in build.own_loads
            ):
                # The log held, stepped back or swapped that exercise, or the person set its
                # load: the template's dose for it knows neither.
                swapped = None
            if swapped is not None:
                # The template's exercise for this week only, as written. The entry's own
                # exercise is not done this week: its ladder waits, and so does what the
                # log decided about it.
                if adjustment is not None:
                    waiting[index] = adjustment
                rx, dose = _swap_week(
                    build, phase, index, ladder.entry, swapped, is_deload, offset + 1
                )
            else:
                rx, dose = _entry_week(build, phase, index, ladder, adjustment, week, offset + 1)
            if dose is not None and not is_deload:
                trained.append(dose)
            week_rx[index] = rx
        build.done(trained, list(week_rx.values()))
        yield is_deload, week_rx


def _entry_week(
    build: "PlanBuild",
    phase: Phase,
    index: int,
    ladder: EntryLadder,
    adjustment: Adjustment | None,
    week: int,
    phase_week: int,
) -> tuple[Prescription, Dose | None]:
    """One entry's prescription for one week, and the dose it trains (for the
    week-over-week rules)."""
    adjusted = build.adjusted
    is_deload = week in build.deloads
    notes = list(build.tailored.notes.get((phase.name, index), ()))
    before = ladder.position
    if adjustment is not None and adjustment.kind == "substitute":
        assert adjustment.chosen is not None
        ladder.swap(on_positions(build.stand_in(phase.exercises[index], adjustment.chosen)))
    else:
        delta = adjusted.delta(adjustment, week)
        ladder.move(min(delta, 0) if is_deload else delta, counts=not is_deload)
        if adjustment is not None and adjustment.kind in ("regress", "hold"):
            build.limit(ladder, adjustment)  # go on from the load or band managed
    if adjustment is not None and not (
        adjustment.kind == "progress" and (adjusted.stopped(week) or is_deload)
    ):
        # A step up that is not taken (a pause began, or it is a deload week) is
        # not told.
        notes.append(f"Adapted from your log: {adjustment.reason}")
    entry = ladder.entry
    ladder.hold_pins = adjusted.stopped(week) or (
        adjustment is not None and adjustment.kind in ("regress", "hold")
    )
    shown = build.week_dose(ladder, phase.name, phase_week, before)
    if is_deload and build.program.deload is not None:
        increment = load_increment(build.library[entry.exercise], entry, build.units)
        light = deload(build.no_more_than_trained(shown), build.program.deload, increment)
        notes.append("Deload week: lighter on purpose, keep the form crisp.")
    else:
        light = shown
        if shown.held:
            notes.append(shown.held)
    if shown.exercise != entry.exercise:
        notes.append(f"Moved on from {build.library[entry.exercise].name}.")
    rx = build.prescribe(light, entry, phase.rest, notes, phase_week)
    if build.by_entry(phase):
        rx = rx.model_copy(update={"entry": index})
    return rx, None if is_deload else shown


def _swap_week(
    build: "PlanBuild",
    phase: Phase,
    index: int,
    entry: ExerciseEntry,
    dose: Dose,
    is_deload: bool,
    phase_week: int,
) -> tuple[Prescription, Dose | None]:
    """The prescription of a week a pin gives another exercise, and the dose it trains."""
    notes = list(build.tailored.notes.get((phase.name, index), ()))
    notes.append(f"This week only, in place of {build.library[entry.exercise].name}.")
    light = dose
    if is_deload and build.program.deload is not None:
        increment = load_increment(build.library[dose.exercise], entry, build.units)
        light = deload(build.no_more_than_trained(dose), build.program.deload, increment)
        notes.append("Deload week: lighter on purpose, keep the form crisp.")
    rx = build.prescribe(light, entry, phase.rest, notes, phase_week)
    return rx.model_copy(update={"entry": index, "pinned": True}), None if is_deload else dose


# Adjustments from the log that mean "not harder than last time", least careful first.
_CAREFUL = ("hold", "regress", "substitute")
_CARE = {"progress": 0, "hold": 1, "regress": 2, "substitute": 3}


def _more_careful(new: Adjustment | None, old: Adjustment | None) -> Adjustment | None:
    """Of this week's adjustment and one waiting from a week the entry was not done, the
    more careful (a newer one of the same kind wins: its limits are the latest)."""
    if new is None or old is None:
        return new or old
    return old if _CARE[old.kind] > _CARE[new.kind] else new


def _handed_on(
    build: "PlanBuild",
    phase: Phase,
    index: int,
    weeks: tuple[int, int, int],
    waiting: dict[int, Adjustment],
) -> Adjustment | None:
    """For an entry starting this week, what the log said about the entry it follows on the
    same day, when that one is not done again in this phase (a chain of exercises: the next
    link must not start as written right after the last one hurt).

    Its limits were about another exercise, so only its kind is handed on: the new link
    starts at its first dose (hold) or one set below it (a step back or a swap)."""
    phase_week, n_weeks, template_weeks = weeks
    entry = phase.exercises[index]
    for other, said in list(waiting.items()):
        before = phase.exercises[other]
        if before.day != entry.day or said.kind not in _CAREFUL:
            continue
        later = range(phase_week, n_weeks + 1)
        if any(trained_in(before, phase, w, template_weeks) for w in later):
            continue
        del waiting[other]
        kind = "hold" if said.kind == "hold" else "regress"
        step = "at its first dose" if kind == "hold" else "one set below its first dose"
        return said.model_copy(
            update={
                "kind": kind,
                "slot": index,
                "exercise": entry.exercise,
                "chosen": None,
                **dict.fromkeys(("sets", "count", "seconds", "load", "band")),
                "reason": f"it follows {build.library[before.exercise].name} on this day, "
                f"which your log "
                f"{'held' if said.kind == 'hold' else 'stepped back'}, so it starts {step}",
            }
        )
    return None


def _back_from_pause(phase: Phase, index: int, week: int) -> Adjustment:
    """A hold for an entry in the first week back from a pause (see :func:`phase_weeks`)."""
    entry = phase.exercises[index]
    return Adjustment(
        week=week,
        kind="hold",
        phase=phase.name,
        slot=index,
        exercise=entry.exercise,
        rule="the first week after the safety stop: no more than while held",
        reason="the first week after the safety stop climbs nothing",
    )
