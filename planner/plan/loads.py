"""Loads and bands in the person's own terms (pure): units, starting loads, band ladder."""

from planner.errors import OptionError
from planner.models.common import DEFAULT_BANDS, EntryKey
from planner.models.exercise import Exercise
from planner.models.plan import StartLoad
from planner.models.program import ExerciseEntry, ProgramTemplate
from planner.models.rules import LoadRule
from planner.plan.explain import Explanations
from planner.plan.progression import load_increment, round_load
from planner.wording.plan import fmt_number

LB_PER_KG = 2.2046226218


def convert(value: float, unit: str, to: str) -> float:
    """A load in ``unit`` expressed in ``to`` (kg or lb), unrounded."""
    if unit == to:
        return value
    return value * LB_PER_KG if to == "lb" else value / LB_PER_KG


def fmt_load(value: float, unit: str) -> str:
    """``66.1 lb``: one decimal at most, for explanations."""
    return f"{fmt_number(round(value, 1))} {unit}"


def rounded(entry: ExerciseEntry, exercise: Exercise, value: float, units: str) -> float:
    """``value`` rounded to the exercise's load step in ``units``, never below one step."""
    step = load_increment(exercise, entry, units)
    return max(step, round_load(value, step))


def in_units(
    entry: ExerciseEntry,
    exercise: Exercise,
    before: str,
    after: str,
    where: str,
    log: Explanations,
) -> ExerciseEntry:
    """``entry`` with its loads converted from ``before`` to ``after`` units and rounded to
    the equipment's steps in the new units (a template's own increment is in its units)."""
    if entry.load is None or before == after:
        return entry
    plain = entry.model_copy(update={"increment": None})

    def change(value: float) -> float:
        return rounded(plain, exercise, convert(value, before, after), after)

    load = change(entry.load)
    pins = tuple(
        p.model_copy(update={"load": change(p.load)}) if p.load is not None else p
        for p in entry.pins
    )
    # A fixed load step ('add') is in the template's units too: the same step in the new
    # units, in whole steps of the kit (at least one).
    rules = tuple(
        r.model_copy(update={"add": change(r.add)})
        if isinstance(r, LoadRule) and r.add is not None
        else r
        for r in entry.progression
    )
    log.decide(
        "units",
        where,
        f"{exercise.name}: {fmt_load(entry.load, before)} is "
        f"{fmt_load(convert(entry.load, before, after), after)}, "
        f"rounded to {fmt_load(load, after)}.",
        exercise.id,
    )
    return plain.model_copy(update={"load": load, "pins": pins, "progression": rules})


def own_loads(
    program: ProgramTemplate,
    phases: list[list[ExerciseEntry]],
    library: dict[str, Exercise],
    loads: tuple[StartLoad, ...],
    units: str,
    log: Explanations,
) -> set[EntryKey]:
    """Apply ``--load`` in place: the first phase with the exercise starts at the person's
    load, later phases keep the template's ratio to it. Returns the entries it set.

    Raises:
        OptionError: the exercise is unknown, not in the plan, or not loaded in it.
    """
    names = [p.name for p in program.phases]
    fixed: set[EntryKey] = set()
    for given in loads:
        spots = [
            (p, i, e)
            for p, entries in enumerate(phases)
            for i, e in enumerate(entries)
            if e.exercise == given.exercise
        ]
        loaded = [(p, i, e) for p, i, e in spots if e.load is not None]
        if not loaded:
            raise OptionError(_load_error(program, library, given.exercise, bool(spots), log))
        first = loaded[0][2].load
        assert first is not None
        wanted = convert(given.value, given.unit, units)
        step = load_increment(library[given.exercise], loaded[0][2], units)
        if round_load(wanted, step) <= 0:
            # Rounding up to one step would prescribe more than the person asked for.
            raise OptionError(
                f"--load: {given} is less than half of {given.exercise}'s "
                f"{fmt_number(step)} {units} step; give at least {fmt_number(step)}{units}"
            )
        for p, i, entry in loaded:
            assert entry.load is not None
            ex = library[entry.exercise]
            load = rounded(entry, ex, wanted * entry.load / first, units)
            phases[p][i] = entry.model_copy(update={"load": load})
            fixed.add((names[p], i))
            was = program.phases[p].exercises[i].load or 0
            log.decide(
                "load",
                names[p],
                f"{ex.name} starts at {fmt_load(load, units)} (--load {given}; "
                f"the template had {fmt_load(was, program.units)}).",
                ex.id,
            )
    return fixed


def _load_error(
    program: ProgramTemplate,
    library: dict[str, Exercise],
    exercise: str,
    in_plan: bool,
    log: Explanations,
) -> str:
    entries = [e for p in program.phases for e in p.exercises]
    loaded = sorted({e.exercise for e in entries if e.load is not None})
    allowed = f"exercises with a load in this plan: {', '.join(loaded) or 'none'}"
    if exercise not in library:
        import difflib  # only on the way to an error message

        near = difflib.get_close_matches(exercise, list(library), n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        return f"--load: unknown exercise '{exercise}'{hint}; {allowed}"
    if in_plan:
        return f"--load: {exercise} is done with body weight in your plan; {allowed}"
    swaps = [d for d in log.decisions if d.kind == "substitute" and d.exercise == exercise]
    if swaps:
        return f"--load: {exercise} is not in your plan: {swaps[0].reason}"
    return f"--load: {exercise} is not in this plan; {allowed}"


def band_map(ladder: tuple[str, ...], own: tuple[str, ...]) -> dict[str, str]:
    """Template band -> the person's band: the same colour if they have it; else the
    heaviest of theirs that is not heavier (TheraBand order); names outside that order go
    to the same relative place on the ladder, rounded down (never a heavier start).

    A ladder longer than the template's is not spread out: the template's n-th band goes
    at most to the person's n-th, so one step up the template's ladder is never more
    than one rung up the person's.
    """
    out: dict[str, str] = {}
    known = all(b in DEFAULT_BANDS for b in own)
    for i, name in enumerate(ladder):
        if name in own:
            out[name] = name
        elif known and name in DEFAULT_BANDS:
            lighter = [b for b in own if DEFAULT_BANDS.index(b) <= DEFAULT_BANDS.index(name)]
            out[name] = lighter[-1] if lighter else own[0]
        else:
            out[name] = own[min(i, i * (len(own) - 1) // max(1, len(ladder) - 1))]
    return out


def on_ladder(entry: ExerciseEntry, mapping: dict[str, str]) -> ExerciseEntry:
    """``entry`` with its bands named on the person's ladder."""
    if entry.band is None and not any(p.band for p in entry.pins):
        return entry
    pins = tuple(
        p.model_copy(update={"band": mapping[p.band]}) if p.band else p for p in entry.pins
    )
    band = mapping[entry.band] if entry.band else None
    return entry.model_copy(update={"band": band, "pins": pins})


def own_bands(
    program: ProgramTemplate,
    phases: list[list[ExerciseEntry]],
    own: tuple[str, ...],
    log: Explanations,
) -> list[list[ExerciseEntry]]:
    """Every band in ``phases`` moved onto the person's ladder, explained once."""
    mapping = band_map(program.bands, own)
    used = {b for p in phases for e in p for b in (e.band, *(x.band for x in e.pins)) if b}
    _never_heavier(mapping, used, own)
    moved = [f"{a} -> {b}" for a, b in mapping.items() if a != b and a in used]
    detail = f"; the template's bands on it: {', '.join(moved)}" if moved else ""
    log.decide(
        "band",
        "plan",
        f"Bands: your ladder {' < '.join(own)}{detail}. "
        f"Bands move up your ladder and stop at its heaviest.",
    )
    return [[on_ladder(e, mapping) for e in p] for p in phases]


def _never_heavier(mapping: dict[str, str], used: set[str], own: tuple[str, ...]) -> None:
    """Refuse a ladder whose lightest colour is heavier than a band the plan prescribes.

    The mapping then has nothing lighter to give and would start the person on a heavier
    band than the template intends; names outside the TheraBand order cannot be compared.
    """
    for band in sorted(used, key=lambda b: DEFAULT_BANDS.index(b) if b in DEFAULT_BANDS else 0):
        mine = mapping[band]
        known = band in DEFAULT_BANDS and mine in DEFAULT_BANDS
        if known and DEFAULT_BANDS.index(mine) > DEFAULT_BANDS.index(band):
            raise OptionError(
                f"--bands: this plan prescribes a {band} band and your lightest, {mine}, "
                f"is heavier; add a band no heavier than {band} (e.g. --bands "
                f"{band},{','.join(own)}), or use --bands template"
            )
