"""The weekly load cap across a whole plan (pure): which loads the template writes and so
keep as written, the one first step a light load may take above the cap, and the
``--explain`` lines for every load the cap changes.

The cap (``max_weekly_rise``, 10 % unless set) limits the planner's own progression steps.
A load the template writes (a phase's starting load, a pin) is the author's and is kept,
except where the person's own record says otherwise: once their log capped an exercise
(``planner adapt`` hold or step back), or for a load set from ``--load``, every rise of it
is capped again. Deload weeks and a pause for red flags are applied after this, so they
still lower what is written here.
"""

from dataclasses import replace

from planner.models.exercise import Exercise
from planner.models.program import ExerciseEntry, ProgramTemplate
from planner.models.rules import LoadRule
from planner.plan.explain import Explanations
from planner.plan.ladder import EntryLadder, Trained
from planner.plan.progression import (
    FIRST_STEP,
    MAX_LOAD,
    MAX_WEEKLY_RISE,
    Dose,
    Lookups,
    first_step,
    held_load,
    load_increment,
    pct,
    round_load,
    wanted_load,
    weekly_rise,
)
from planner.wording.plan import fmt_number

_EPS = 1e-9


class WeeklyCap:
    """What the cap remembers while one plan is built, by exercise: those the person's log
    capped, those that took their first step, and the decisions told so far."""

    def __init__(self, program: ProgramTemplate, library: dict[str, Exercise]) -> None:
        self.library = library
        self.units = program.units
        self.limited: set[str] = set()
        # The load each exercise took its one first step to.
        self.stepped_to: dict[str, float] = {}
        self.log = Explanations()
        self._told: set[tuple[str, str, str, float]] = set()
        # Exercises whose first step was told: a later week at the same load (a load the
        # template writes, after a lighter pin) is not that step again.
        self._first_told: set[str] = set()

    def written(self, ladder: EntryLadder, phase_week: int) -> float | None:
        """The template's own load for this week, if it is kept as written (see
        :meth:`EntryLadder.written_load`); never once the log capped the exercise."""
        name = ladder.entry.exercise
        if ladder.limited:
            self.limited.add(name)
        if name in self.limited:
            return None
        return ladder.written_load(phase_week)

    def guard(self, ladder: EntryLadder, pinned: Dose) -> Dose:
        """After the person's log capped the entry, a pin's load is no more than the
        entry's own (capped, then climbing) load: a pin never undoes the cap."""
        own = ladder.dose.load
        if not ladder.limited or pinned.load is None or own is None or pinned.load <= own:
            return pinned
        return replace(pinned, load=own)

    def first_step(
        self, ladder: EntryLadder, shown: Dose, last: Trained | None, look: Lookups
    ) -> Dose | None:
        """The one first step above the cap an exercise may take, or None.

        Only where the planner itself wanted to go up (the entry moved on this week, no pin)
        and one increment is all that stands in the way: light dumbbells (8 -> 10 kg is
        +25 %) or an empty bar would otherwise be held for good. Once per exercise in the
        plan; never after the person's log capped it.
        """
        entry = ladder.entry
        name = shown.exercise
        rule = next((r for r in entry.progression if isinstance(r, LoadRule)), None)
        rise = weekly_rise(entry, look)
        if (
            rule is None
            or name in self.stepped_to
            or name in self.limited
            or ladder.limited
            or last is None
            or shown.held != held_load(rise)
            or shown.load is None
            or last.dose.load is None
            or abs(shown.load - last.dose.load) > _EPS
        ):
            return None
        increment = self._increment(entry)
        load = first_step(shown.load, increment)
        if load is None or load > MAX_LOAD:
            return None
        self.stepped_to[name] = load
        note = FIRST_STEP.format(
            step=fmt_number(increment),
            unit=self.units,
            pct=pct(load / shown.load - 1),
            cap=pct(rise),
        )
        count = None if shown.count is None else min(shown.count, rule.low)
        return replace(shown, load=load, count=count, held=note)

    def explain(
        self,
        where: str,
        phase_week: int,
        entry: ExerciseEntry,
        asked: Dose,
        shown: Dose,
        last: Trained | None,
        rise: float,
    ) -> None:
        """Tell ``--explain`` where (the phase ``where``) the cap changed the load ``asked``
        for into ``shown``."""
        if shown.load is None or asked.load is None:
            return
        name = self.library[shown.exercise].name
        unit = self.units
        now, wanted = shown.load, asked.load
        prev = None if last is None else last.dose.load
        week = f"week {phase_week} of the phase"
        limit = f"+{pct(rise)} %"
        if (
            prev is not None
            and now > prev + _EPS
            and self.stepped_to.get(shown.exercise) == now
            and shown.exercise not in self._first_told
        ):
            self._first_told.add(shown.exercise)
            self._tell(
                where,
                shown.exercise,
                "first",
                now,
                f"{name}, {week}: a first step from {fmt_number(prev)} to "
                f"{fmt_number(now)} {unit} (+{pct(now / prev - 1)} %), more than the "
                f"usual {limit} a week because no smaller weight step exists; allowed "
                "once, then the usual limit applies.",
            )
            return
        if prev is not None and now > prev * (1 + max(rise, MAX_WEEKLY_RISE)) + _EPS:
            return  # a load the template writes: kept, nothing to tell
        increment = self._increment(entry)
        one_step = prev is not None and wanted <= round_load(prev, increment, "down") + increment
        held = shown.held == held_load(rise) and prev is not None and abs(now - prev) < _EPS
        if held and (one_step or wanted <= now + _EPS):
            self._tell(
                where,
                shown.exercise,
                "held",
                now,
                f"{name} is held at {fmt_number(now)} {unit} from {week}: one more "
                f"weight step would be more than {limit} a week.",
            )
            return
        if now < wanted - _EPS:
            band_up = last is not None and (shown.band or 0) > (last.dose.band or 0)
            why = (
                "the band goes up this week, and one change at a time"
                if band_up
                else f"the load rises at most {limit} a week"
            )
            self._tell(
                where,
                shown.exercise,
                f"cut{phase_week}",
                now,
                f"{name}, {week}: {fmt_number(wanted)} {unit} lowered to "
                f"{fmt_number(now)} {unit}, because {why}.",
            )
            return
        if prev is not None and now > prev + _EPS:
            rule = next((r for r in entry.progression if isinstance(r, LoadRule)), None)
            if rule is None:
                return
            asked_for = wanted_load(prev, rule.increase, increment, rule.add)
            if asked_for > now + _EPS:
                self._tell(
                    where,
                    shown.exercise,
                    f"clip{phase_week}",
                    now,
                    f"{name}, {week}: up to {fmt_number(now)} {unit} instead of "
                    f"{fmt_number(asked_for)} {unit}: the load rises at most {limit} a week.",
                )

    def _tell(self, where: str, exercise: str, kind: str, load: float, reason: str) -> None:
        key = (where, exercise, kind, load)
        if key not in self._told:
            self._told.add(key)
            self.log.decide("load", where, reason, exercise)

    def _increment(self, entry: ExerciseEntry) -> float:
        return load_increment(self.library[entry.exercise], entry, self.units)
