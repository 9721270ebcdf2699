"""The swap rule (pure): an exercise that stepped back sessions in a row because of itself
is swapped for an easier one that fits the person's options (domain-rules.md §2 and §7),
decided for one entry by :mod:`planner.training.week_rules`. Never an exercise the session
already has, one another entry was swapped to, one this entry was swapped away from, nor a
variation of another exercise of the session."""

from planner.models.adapt import Adjustment
from planner.models.common import EntryKey
from planner.models.plan import Prescription
from planner.plan.substitute import Constraints, choose
from planner.training.evidence import Evidence
from planner.training.week_inputs import WeekInputs, adjustment, sessions_before


def swap_for_easier(
    inputs: WeekInputs,
    key: EntryKey,
    current: Prescription,
    name: str,
    evidence: list[Evidence],
    where: dict[str, object],
    decided: tuple[Adjustment, ...],
) -> Adjustment | None:
    """Swap the entry's exercise for an easier one after it stepped back sessions in a row,
    or None when nothing fits.

    Args:
        inputs: what the run knows.
        key: the entry.
        current: its prescription in the week before.
        name: its exercise's name, for the reason.
        evidence: its evidence since its last swap (the reasons come from it).
        where: the fields that say which entry the adjustment is about.
        decided: this run's weekly decisions so far (a stand-in is not chosen twice).
    """
    library = inputs.library
    ex = library.get(current.exercise)
    if ex is None:
        return None
    options = inputs.plan.options
    kit = None if options.equipment is None else frozenset(options.equipment)
    week = sessions_before(inputs, key[0])
    # Never an exercise the session already has, nor one another entry is swapped to.
    coming = [s for s in inputs.layout.sessions if s.week == inputs.week]
    taken = {rx.exercise for s in (*week, *coming) for rx in s.exercises}
    swaps = [a for a in (*inputs.keep, *inputs.earlier, *decided) if a.kind == "substitute"]
    taken |= {a.chosen for a in swaps if a.chosen}
    # Nor one this entry was swapped away from: that would go back to what hurt.
    taken |= {a.exercise for a in swaps if a.key == key and a.exercise}
    # Nor a variation of another exercise of the session (a clamshell beside a banded
    # clamshell is the same work twice).
    others = taken - {current.exercise}
    taken |= {other.id for other in library.values() if others & {*other.easier, *other.harder}}
    rules = Constraints(options.avoid, kit)
    # After pain, an easier exercise first; one as hard only if none is easier.
    as_hard = {e.id for e in library.values() if e.difficulty >= ex.difficulty}
    stand_in = choose(ex, library, rules, taken | as_hard) or choose(ex, library, rules, taken)
    if stand_in is None:
        return None  # the step back says so (see planner.training.week_rules)
    n = inputs.settings.regressions_to_substitute
    reasons = "; ".join(e.verdict.reason for e in evidence[-n:])
    return adjustment(
        inputs.week,
        "substitute",
        f"stepped back {n} sessions in a row: swap for an easier exercise",
        f"{stand_in.exercise.name} replaces {name} ({stand_in.route}) after {reasons}.",
        chosen=stand_in.exercise.id,
        **where,
    )
