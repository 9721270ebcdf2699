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
        for index, ladder in enumerate(ladders):
            adjustment = adjusted.move(week, phase.name, index) or waiting.pop(index, None)
            if not trained_in(phase.exercises[index], phase, offset + 1, template_weeks):
                if adjustment is not None:
                    waiting[index] = adjustment
                continue
            # While paused, no exercise comes in that the pause has not held: the entry's
            # own exercise stays, at its held dose. So too after the log held, stepped back
            # or swapped the entry: the template's exercise for this week assumed a person
            # without that pain, and could be the harder move.
            careful = adjusted.stopped(week) or (
                adjustment is not None and adjustment.kind in ("regress", "hold", "substitute")
            )
            swapped = None if careful else ladder.pinned_swap(offset + 1)
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
    shown = build.week_dose(ladder, phase_week, before)
    if is_deload and build.program.deload is not None:
        increment = load_increment(build.library[entry.exercise], entry, build.units)
        light = deload(shown, build.program.deload, increment)
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
        light = deload(dose, build.program.deload, increment)
        notes.append("Deload week: lighter on purpose, keep the form crisp.")
    rx = build.prescribe(light, entry, phase.rest, notes, phase_week)
    return rx.model_copy(update={"entry": index, "pinned": True}), None if is_deload else dose
