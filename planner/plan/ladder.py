"""One exercise entry of a phase moving along its progression ladder
(:class:`EntryLadder`) (pure). :mod:`planner.plan.generate` drives it week by week.

An entry's doses form a ladder of *positions*: position 1 is the template's starting dose
and position ``p`` is that dose after the rules of progression weeks 2..p. The generator
moves an entry one position a week; ``planner adapt`` holds it (0), steps it back (-1) or
swaps the exercise (:mod:`planner.plan.adjustments`). Positions below 1 are the starting
dose with fewer sets (domain-rules.md §3 rule 3: "-1 set"), never below one set. When a
dose has to be lowered (the 10 % cap, a band that may not rise yet, what the person
managed), the ladder is *rebased*: it goes on from the lowered dose by the same rules
instead of jumping back to the template's numbers. The rules between one training week
and the next are in :mod:`planner.plan.settle`.
"""

from dataclasses import replace
from typing import TypeVar

from planner.models.program import ExerciseEntry
from planner.plan.progression import (
    Dose,
    Lookups,
    load_increment,
    next_dose,
    round_load,
    start_dose,
)

# The week-over-week rules live in planner.plan.settle; named here too for older imports.
from planner.plan.settle import BAND_WEEKS, HELD_BAND_PACE, Trained, refused, settle

__all__ = ["BAND_WEEKS", "HELD_BAND_PACE", "EntryLadder", "Trained", "refused", "settle"]

_EPS = 1e-9
_N = TypeVar("_N", int, float)


def _at_most(value: _N | None, cap: _N | None) -> _N | None:
    """``value`` lowered to ``cap``; either one missing leaves ``value`` as it is."""
    return value if value is None or cap is None else min(value, cap)


def _no_heavier(dose: Dose, cap: Dose) -> Dose:
    """``dose`` never harder than ``cap``: load and band at most ``cap``'s and, where they
    are the same as ``cap``'s, reps and seconds at most ``cap``'s too."""
    load, band = _at_most(dose.load, cap.load), _at_most(dose.band, cap.band)
    if (load, band) != (cap.load, cap.band):
        return replace(dose, load=load, band=band)
    count, secs = _at_most(dose.count, cap.count), _at_most(dose.seconds, cap.seconds)
    return replace(dose, load=load, band=band, count=count, seconds=secs)


class EntryLadder:
    """One exercise entry of a phase on its progression ladder: the entry (a stand-in's
    once swapped), its position on the ladder and the doses met so far.

    ``head`` is the level head start (positions counted as done before week 1); with
    ``fixed_load`` the person's own starting load replaces the template's at the first
    position they train at, and no lower position carries more than it.
    """

    def __init__(self, entry: ExerciseEntry, look: Lookups, head: int, fixed_load: bool) -> None:
        self.look = look
        self.head = head
        self.started = False
        # Set once the person's log capped this entry (limit): from then on a load the
        # template writes is held to the weekly cap like any other rise (never above it).
        self.limited = False
        self.still = False
        # Set once a week was trained below the phase's starting load (a lower pin, a cap):
        # the start is then behind, and going back up to it is a rise like any other.
        self.left_start = False
        self._reset(entry, head + 1, fixed_load)

    # Set for a week the log holds or steps the entry back (or a pause holds it): a pin
    # then asks for no more than the ladder's dose, as the person is not where the
    # protocol assumed.
    hold_pins = False

    def _reset(self, entry: ExerciseEntry, position: int, fixed_load: bool) -> None:
        self.entry = entry
        self.position = position
        self.fixed_load = fixed_load
        self._rebased = False
        self._ladder = [start_dose(entry, self.look.ladder)]

    @property
    def floor(self) -> int:
        """The lowest position: the starting dose cut to one set."""
        return 2 - self._ladder[0].sets

    @property
    def increment(self) -> float:
        """The rounding step of this entry's load."""
        return load_increment(self.look.library[self.entry.exercise], self.entry, self.look.units)

    def dose_at(self, position: int) -> Dose:
        """The dose at ``position`` (see the module docstring)."""
        if position < 1:
            first = self.dose_at(1)
            return replace(first, sets=max(1, first.sets + position - 1), held="")
        while len(self._ladder) < position:
            week = len(self._ladder) + 1
            dose = next_dose(self._ladder[-1], self.entry, week, self.look)
            # Once rebased, the ladder climbs from the lowered dose, never back to the own load.
            if self.fixed_load and week == self.head + 1 and not self._rebased:
                dose = replace(dose, load=self.entry.load)
            self._ladder.append(dose)
        dose = self._ladder[position - 1]
        own = self.entry.load
        if self.fixed_load and position <= self.head and dose.load and own is not None:
            dose = replace(dose, load=min(dose.load, own))
        return dose

    @property
    def dose(self) -> Dose:
        """The dose at the current position."""
        return self.dose_at(self.position)

    def pinned(self, phase_week: int) -> Dose:
        """The current dose, or the template's exact dose for this week of the phase.

        A pin that puts another exercise in for its week is not this (see
        :meth:`pinned_swap`): its dose says nothing about the entry's own exercise."""
        dose = self.dose
        for pin in self.entry.pins:
            if pin.week == phase_week and pin.exercise is None:
                count = pin.reps if pin.reps is not None else pin.steps
                return (_not_above if self.hold_pins else _as_written)(
                    dose,
                    sets=pin.sets or dose.sets,
                    count=count if count is not None else dose.count,
                    seconds=pin.seconds if pin.seconds is not None else dose.seconds,
                    band=self.look.ladder.index(pin.band) if pin.band else dose.band,
                    # A load the person set (--load) goes on by the planner's steps: the
                    # pin's load was written for the template's own starting load.
                    load=pin.load if pin.load is not None and not self.fixed_load else dose.load,
                    # Why the ladder's own load or band stood still is no reason for a week
                    # whose load or band the template writes.
                    held="" if pin.load is not None or pin.band is not None else dose.held,
                )
        return dose

    def written_load(self, phase_week: int) -> float | None:
        """The load the template itself writes for this week of the phase, if the entry
        trains at it: a pin's load, or the phase's starting load while the entry is at its
        start. None for the planner's own steps, for a load set from the person's
        ``--load`` (its ratio is the planner's, and it keeps the weekly cap), and once the
        person's log has capped the entry (:meth:`limit`) or in a week it may not climb
        (:meth:`move`)."""
        if self.fixed_load or self.limited or self.still:
            return None
        # A pin that puts another exercise in writes that exercise's load, not this one's.
        pin = next(
            (p for p in self.entry.pins if p.week == phase_week and p.exercise is None), None
        )
        if pin is not None and pin.load is not None:
            return pin.load
        own = self.entry.load
        if self.position <= 1 and not self.left_start and self.dose.load == own:
            return own  # the start (its reps may have gone back to the range's bottom)
        return None

    def trains(self, dose: Dose) -> None:
        """Note the dose shown this week (see :meth:`written_load`)."""
        own = self.entry.load
        if dose.load is not None and own is not None and dose.load < own - _EPS:
            self.left_start = True

    def pinned_swap(self, phase_week: int) -> Dose | None:
        """The dose of a pin that puts another exercise in for this week, if there is one.

        It is exactly what the template wrote (the sets of the ladder's dose when it gives
        none); band and load come only from the pin, as the ladder's belong to the entry's
        own exercise. The ladder itself is not touched: the week after, the entry goes on
        from where its own exercise stands."""
        pin = next(
            (p for p in self.entry.pins if p.week == phase_week and p.exercise is not None), None
        )
        if pin is None or pin.exercise is None:
            return None
        return Dose(
            exercise=pin.exercise,
            sets=pin.sets or self.dose.sets,
            count=pin.reps if pin.reps is not None else pin.steps,
            seconds=pin.seconds,
            band=self.look.ladder.index(pin.band) if pin.band in self.look.ladder else None,
            load=pin.load,
        )

    def move(self, delta: int, counts: bool) -> None:
        """Move ``delta`` positions; an entry's first training week (``counts``) is not a move."""
        if self.started or delta < 0:
            self.position = max(self.floor, self.position + delta)
        # A training week that may not climb (a pause for red flags, a hold from the log):
        # a load the template writes for it is held to the weekly cap like any rise.
        self.still = counts and delta <= 0
        if counts:
            self.started = True

    def swap(self, entry: ExerciseEntry) -> None:
        """Put a stand-in in this entry's place, starting at its first position."""
        self._reset(entry, 1, False)
        self.started = True

    def rebase(self, dose: Dose) -> None:
        """Make ``dose`` the dose at the current position and climb on from it.

        Higher positions are worked out again from ``dose`` by the entry's rules; lower ones
        keep their doses but are never harder than ``dose`` (no more load, no heavier band,
        no more reps at the same load and band), so a later step back cannot land on more.
        Below the starting dose (fewer sets) the starting dose itself is rebased, keeping
        its sets.
        """
        at = max(1, self.position)
        current = self.dose_at(at)
        sets = current.sets if self.position < 1 else dose.sets
        if _same_dose(current, dose, sets):
            return  # the common case: nothing to rebase (checked without copying)
        base = replace(dose, sets=sets, held="")
        self._ladder = [*(_no_heavier(d, base) for d in self._ladder[: at - 1]), base]
        self._rebased = True

    def limit(
        self,
        load: float | None = None,
        band: int | None = None,
        sets: int | None = None,
        count: int | None = None,
        seconds: int | None = None,
        below: bool = False,
    ) -> None:
        """Cap the current dose at what the person did, and climb on from there.

        Args:
            load: the most weight they lifted; rounded down to the entry's increment, or
                kept as lifted when it is below one increment (a 1 kg dumbbell on a 2.5 kg
                step): a cap never prescribes more than they managed.
            band: the heaviest band they used, as an index into the band ladder.
            sets: the sets they did.
            count: the most reps (or steps) in a set.
            seconds: the longest hold, in seconds (whole 5 s, at least 5).
            below: a step back: when the cap leaves nothing lower than what they did (the
                step back of the ladder was no lower), one set fewer than that, at least one.

        The entry is rebased (:meth:`rebase`): later weeks rise from the capped dose by the
        usual rules and never jump back to the old dose.
        """
        # Any hold or step back from the log, with figures or without: the person's record
        # now outranks what the template writes (see written_load).
        self.limited = True
        dose = self.dose
        new_load = dose.load
        if load is not None and new_load is not None:
            # Rounding down to a whole step keeps the plan on loads the kit can make; below
            # one step the lifted load itself is the only honest figure (never round up).
            managed = round_load(load, self.increment, "down") or load
            new_load = min(new_load, managed)
        capped = replace(
            dose,
            load=new_load,
            band=_at_most(dose.band, band),
            sets=min(dose.sets, sets) if sets is not None else dose.sets,
            count=_at_most(dose.count, count),
            seconds=_at_most(dose.seconds, None if seconds is None else max(5, seconds // 5 * 5)),
        )
        given = (load, band, sets, count, seconds)
        if below and any(v is not None for v in given) and _reaches(capped, *given):
            capped = replace(capped, sets=max(1, capped.sets - 1))
        if self.position < 1 and capped.sets < dose.sets:
            # Below the starting dose the sets come from the position (rebase keeps them):
            # fewer sets means a lower position.
            self.position = max(self.floor, self.position - (dose.sets - capped.sets))
            dose = self.dose
            capped = replace(capped, sets=dose.sets)
        if capped != dose:
            self.rebase(capped)


def _as_written(dose: Dose, **pin: object) -> Dose:
    """``dose`` with a pin's numbers in place."""
    return replace(dose, **pin)  # type: ignore[arg-type]


def _not_above(dose: Dose, **pin: object) -> Dose:
    """``dose`` with a pin's numbers in place where they are no more than ``dose``'s."""
    pinned = _as_written(dose, **pin)
    return replace(
        pinned,
        sets=min(pinned.sets, dose.sets),
        count=_at_most(pinned.count, dose.count),
        seconds=_at_most(pinned.seconds, dose.seconds),
        band=_at_most(pinned.band, dose.band),
        load=_at_most(pinned.load, dose.load),
    )


def _same_dose(current: Dose, dose: Dose, sets: int) -> bool:
    """Whether ``dose`` with ``sets`` sets is ``current``, its ``held`` note aside."""
    return (
        current.exercise == dose.exercise
        and current.sets == sets
        and current.count == dose.count
        and current.seconds == dose.seconds
        and current.band == dose.band
        and current.load == dose.load
    )


def _reaches(
    dose: Dose,
    load: float | None,
    band: int | None,
    sets: int | None,
    count: int | None,
    seconds: int | None,
) -> bool:
    """Whether ``dose`` is still at least what was done on every part given."""
    pairs = (
        (dose.load, load),
        (dose.band, band),
        (dose.sets, sets),
        (dose.count, count),
        (dose.seconds, seconds),
    )
    return all(have is None or did is None or have >= did - _EPS for have, did in pairs)
