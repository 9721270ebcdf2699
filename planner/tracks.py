"""One exercise slot of a phase moving along its progression ladder (pure).

A slot's doses form a ladder of *positions*: position 1 is the template's starting dose and
position ``p`` is that dose after the rules of progression weeks 2..p. The generator moves a
slot one position a week; ``planner adapt`` holds it (0), steps it back (-1) or swaps the
exercise. Positions below 1 are the starting dose with fewer sets (domain-rules.md §3 rule 3:
"-1 set"), never below one set.
"""

from dataclasses import dataclass, replace

from planner.models.exercise import Exercise
from planner.models.program import ExerciseEntry
from planner.progression import (
    Dose,
    load_increment,
    progress_band,
    progress_hold,
    progress_load,
    progress_reps,
    progress_sets,
    progress_variant,
)


@dataclass(frozen=True, slots=True)
class Lookups:
    """What every rule needs while one plan is generated."""

    library: dict[str, Exercise]
    ladder: tuple[str, ...]
    units: str


def start_dose(entry: ExerciseEntry, ladder: tuple[str, ...]) -> Dose:
    """The dose an entry starts at (position 1)."""
    return Dose(
        exercise=entry.exercise,
        sets=entry.sets,
        count=entry.reps if entry.reps is not None else entry.steps,
        seconds=entry.seconds,
        band=None if entry.band is None else ladder.index(entry.band),
        load=entry.load,
    )


def advance(dose: Dose, entry: ExerciseEntry, week: int, look: Lookups) -> Dose:
    """Apply every rule of ``entry`` for progression week ``week`` (1-based)."""
    increment = load_increment(look.library[entry.exercise], entry, look.units)
    for rule in entry.progression:
        if rule.kind == "reps":
            dose = progress_reps(dose, rule, week)
        elif rule.kind == "sets":
            dose = progress_sets(dose, rule, week)
        elif rule.kind == "hold":
            dose = progress_hold(dose, rule, week)
        elif rule.kind == "band":
            dose = progress_band(dose, rule, week, len(look.ladder))
        elif rule.kind == "load":
            dose = progress_load(dose, rule, week, increment)
        else:
            harder = rule.to or look.library[entry.exercise].harder[0]
            dose = progress_variant(dose, rule, week, harder)
    return dose


class Track:
    """One slot of a phase: its entry, its position on the ladder and the doses met so far.

    ``head`` is the level head start (positions counted as done before week 1); with
    ``fixed_load`` the person's own starting load replaces the template's at the first
    position they train at, and no lower position carries more than it.
    """

    def __init__(self, entry: ExerciseEntry, look: Lookups, head: int, fixed_load: bool) -> None:
        self.look = look
        self.head = head
        self.started = False
        self._reset(entry, head + 1, fixed_load)

    def _reset(self, entry: ExerciseEntry, position: int, fixed_load: bool) -> None:
        self.entry = entry
        self.position = position
        self.fixed_load = fixed_load
        self._ladder = [start_dose(entry, self.look.ladder)]

    @property
    def floor(self) -> int:
        """The lowest position: the starting dose cut to one set."""
        return 2 - self._ladder[0].sets

    def dose_at(self, position: int) -> Dose:
        """The dose at ``position`` (see the module docstring)."""
        if position < 1:
            first = self.dose_at(1)
            return replace(first, sets=max(1, first.sets + position - 1), held="")
        while len(self._ladder) < position:
            week = len(self._ladder) + 1
            dose = advance(self._ladder[-1], self.entry, week, self.look)
            if self.fixed_load and week == self.head + 1:
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

    def move(self, delta: int, counts: bool) -> None:
        """Move ``delta`` positions; a slot's first training week (``counts``) is not a move."""
        if self.started or delta < 0:
            self.position = max(self.floor, self.position + delta)
        if counts:
            self.started = True

    def swap(self, entry: ExerciseEntry) -> None:
        """Put a stand-in in this slot, starting at its first position."""
        self._reset(entry, 1, False)
        self.started = True
