"""The rules that hold between one training week of an exercise and the next (pure):
:func:`settle` keeps a week's dose to them against what was trained before (anywhere in
the plan, :class:`Trained`), :func:`refused` tells when a step up is better spent holding.
:mod:`planner.plan.generate` calls them for every entry on its ladder
(:mod:`planner.plan.ladder`) every week.
"""

from dataclasses import dataclass, replace

from planner.models.program import ExerciseEntry
from planner.models.rules import BandRule, LoadRule
from planner.plan.progression import (
    MAX_WEEKLY_RISE,
    Dose,
    Lookups,
    band_gap,
    cap_rise,
    held_band_gap,
    held_load,
    load_increment,
    next_load,
    weekly_rise,
)

# A band goes up at most one colour in this many training weeks of the exercise: a colour is
# a 20-40 % jump (domain-rules.md §1), so the reps in between have to be earned first.
BAND_WEEKS = 2
HELD_BAND_PACE = "Held at this band for a week: a band goes up at most one colour every two weeks."
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Trained:
    """An exercise's last training week (deloads left out), for the week-over-week rules.

    ``weeks`` counts the training weeks with this exercise so far; ``band_rise`` is that
    count in the week its band last went up.
    """

    dose: Dose
    weeks: int = 1
    band_rise: int | None = None

    def then(self, dose: Dose) -> "Trained":
        """The record after one more training week at ``dose``."""
        weeks = self.weeks + 1
        old = self.dose.band
        rose = dose.band is not None and old is not None and dose.band > old
        return Trained(dose, weeks, weeks if rose else self.band_rise)


def _rule_low(entry: ExerciseEntry, kind: str) -> int | None:
    rule = next((r for r in entry.progression if r.kind == kind), None)
    return rule.low if isinstance(rule, BandRule | LoadRule) else None


def _load_rule(entry: ExerciseEntry) -> LoadRule | None:
    return next((r for r in entry.progression if isinstance(r, LoadRule)), None)


def load_step(entry: ExerciseEntry, load: float, look: Lookups) -> float | None:
    """The planner's next load step for ``entry`` from ``load`` (its rule's increase or
    add, else +10 %), within its weekly cap; None when one increment is already more."""
    rule = _load_rule(entry)
    increment = load_increment(look.library[entry.exercise], entry, look.units)
    increase = MAX_WEEKLY_RISE if rule is None else rule.increase
    add = None if rule is None else rule.add
    return next_load(load, increase, increment, weekly_rise(entry, look), add)


def settle(
    dose: Dose,
    entry: ExerciseEntry,
    last: Trained | None,
    last_load: float | None,
    look: Lookups,
    written: float | None = None,
    keep_count: bool = True,
) -> Dose:
    """``dose`` made to keep the week-over-week rules against what was done before.

    Args:
        dose: what the entry's ladder (or a pin) asks for this week.
        entry: the template entry (its rules and increment).
        last: the exercise's last training week anywhere in the plan, if any.
        last_load: the load of the exercise's last week, deload or not.
        look: the plan's lookups (band ladder, units, library).
        written: the load the template writes for this week (a phase's start, a pin;
            see :meth:`EntryLadder.written_load`): kept as written. Its reps still go back
            to the bottom of the range when it is a rise (one change a week).
        keep_count: a load rise refused keeps last week's reps (no reset to the bottom of
            the range for a load that did not rise); False once the person's log capped
            the entry, whose count then stays at most the capped one.

    Returns the dose to train: a load of the planner's own at most +10 % on last week and
    at most one load step (the rule's, within ``max_weekly_rise``, see :func:`next_load`)
    on the last training week, held with a note when one increment is more; a band at most
    one rung and one standard colour up, at most once every :data:`BAND_WEEKS` training
    weeks; and only one of reps (steps, seconds), load and band up: when load or band
    rises, the count goes back to the bottom of the rule's range and never above last
    week's.
    """
    increment = load_increment(look.library[entry.exercise], entry, look.units)
    load, band, count, secs, held = dose.load, dose.band, dose.count, dose.seconds, dose.held
    as_written = load is not None and written is not None and abs(load - written) < _EPS
    if load is not None and last_load is not None and not as_written:
        # Against any last week, deload or not: the hard 10 % ceiling (a deload's return).
        load = cap_rise(last_load, load, increment)
    if last is None:
        return dose if load == dose.load else replace(dose, load=load)
    prev = last.dose
    if not as_written and load is not None and prev.load is not None and load > prev.load + _EPS:
        step = load_step(entry, prev.load, look)
        if step is None:
            load, held = prev.load, held_load(weekly_rise(entry, look))
        else:
            load = min(load, step)
    if band is not None and prev.band is not None and band > prev.band:
        if band_gap(look.ladder, prev.band) > 1:
            band, held = prev.band, held_band_gap(look.ladder, prev.band)
        elif last.band_rise is not None and last.weeks + 1 - last.band_rise < BAND_WEEKS:
            band, held = prev.band, HELD_BAND_PACE
        else:
            band = prev.band + 1
        if band == prev.band and count is not None and prev.count is not None:
            count = max(count, prev.count)  # held band: the reps stay where they were
    load_up = load is not None and prev.load is not None and load > prev.load + _EPS
    band_up = band is not None and prev.band is not None and band > prev.band
    if band_up and load_up and as_written:
        # One axis a week, and the written load is the author's: the band waits a week.
        band, band_up = prev.band, False
    if band_up and load is not None and prev.load is not None:
        load = min(load, prev.load)  # one axis a week: the band's rise is this week's
        load_up = False
    if band_up or load_up:
        low = _rule_low(entry, "band" if band_up else "load")
        if count is not None and prev.count is not None:
            count = min(count, prev.count, low or prev.count)
        if secs is not None and prev.seconds is not None:
            secs = min(secs, prev.seconds)
    elif keep_count and not as_written and count is not None and prev.count is not None:
        was = prev.load
        if was is not None and dose.load is not None and dose.load > was + _EPS and not band_up:
            count = max(count, prev.count)  # a refused load rise: the reps stay where they were
            if not held and load_step(entry, was, look) is None:
                held = held_load(weekly_rise(entry, look))
    if (load, band, count, secs, held) == (
        dose.load,
        dose.band,
        dose.count,
        dose.seconds,
        dose.held,
    ):
        return dose  # most weeks: nothing to change, no copy
    return replace(dose, load=load, band=band, count=count, seconds=secs, held=held)


def refused(proposed: Dose, shown: Dose, last: Trained | None) -> bool:
    """Whether :func:`settle` took away all of a rise in load or band that ``proposed`` had
    over the last training week (so the week is better spent holding last week's dose)."""
    if last is None:
        return False
    prev = last.dose
    pairs = ((proposed.load, shown.load, prev.load), (proposed.band, shown.band, prev.band))
    return any(
        want is not None and got is not None and had is not None and got <= had + _EPS < want
        for want, got, had in pairs
    )
