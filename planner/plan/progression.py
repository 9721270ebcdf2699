"""Progression rules as small pure functions over a :class:`Dose`.

Each function takes the dose of the previous progression week and returns the next one; the
generator decides which weeks advance (deload weeks do not). Numbers come from
domain-rules.md §1 (double progression, 2-10 % load steps, band ladder) and §5 (deloads).
"""

import math
from dataclasses import dataclass, replace

from planner.models.common import DEFAULT_BANDS
from planner.models.exercise import Exercise
from planner.models.program import Deload, ExerciseEntry
from planner.models.rules import BandRule, HoldRule, LoadRule, RepsRule, SetsRule, VariantRule

# Why a dose stopped climbing, as told in the session notes.
HELD_BAND = "Held here: this is the heaviest band on your ladder."
HELD_LOAD = "Held at this load: the next weight step would be more than +10 %."
HELD_LOAD_TOP = "Held at this load: the plan prescribes nothing heavier."
# A first load step that one increment makes bigger than the weekly cap, taken once.
FIRST_STEP = (
    "A first step up in weight: one {step} {unit} step is +{pct} % this once "
    "(more than the usual +{cap} % a week); from here on the usual limit applies."
)

# The hard ceiling on any week-over-week load rise (domain-rules.md §1: +2-10 %).
MAX_WEEKLY_RISE = 0.10
# No load rises past this, in either unit (the most a template may start with).
MAX_LOAD = 1000.0
# Hold times are told in whole 5-second steps: easy to count, and what the templates use.
HOLD_STEP = 5
_EPS = 1e-9

# Smallest usual load step when a template gives none: barbell plates in pairs, fixed
# dumbbells, and anything else (ankle weights, kettlebells in small steps).
_INCREMENTS = {"barbell": {"kg": 2.5, "lb": 5.0}, "dumbbell": {"kg": 2.0, "lb": 5.0}}
_OTHER_INCREMENT = {"kg": 1.0, "lb": 2.5}


def load_increment(exercise: Exercise, entry: ExerciseEntry, units: str) -> float:
    """The rounding step for an exercise's load: the template's, else by equipment."""
    if entry.increment is not None:
        return entry.increment
    for kit in ("barbell", "dumbbell"):
        if kit in exercise.equipment:
            return _INCREMENTS[kit][units]
    return _OTHER_INCREMENT[units]


@dataclass(frozen=True, slots=True)
class Dose:
    """What one exercise asks for in one week.

    ``count`` is reps or steps; ``seconds`` is the hold time. ``band`` is an index into the
    plan's band ladder. ``held`` says why the dose stopped climbing (empty while it climbs).
    """

    exercise: str
    sets: int
    count: int | None = None
    seconds: int | None = None
    band: int | None = None
    load: float | None = None
    held: str = ""

    @property
    def volume(self) -> float:
        """Sets times reps (or seconds); what a deload cuts."""
        return self.sets * (self.count or self.seconds or 0)


def round_load(value: float, increment: float, mode: str = "nearest") -> float:
    """Round ``value`` to a multiple of ``increment`` ("nearest", "down" or "up").

    Works on integer multiples so 0.1-style float noise cannot leak into the plan.
    """
    steps = value / increment
    n = {"nearest": math.floor(steps + 0.5), "down": math.floor(steps + _EPS)}.get(mode)
    if n is None:
        n = math.ceil(steps - _EPS)
    return round(n * increment, 6)


def cap_rise(
    previous: float | None, load: float, increment: float, rise: float = MAX_WEEKLY_RISE
) -> float:
    """Lower ``load`` to the largest increment step within +``rise`` of ``previous``."""
    if previous is None or load <= previous * (1 + rise) + _EPS:
        return load
    return max(round_load(previous * (1 + rise), increment, "down"), previous)


def wanted_load(load: float, increase: float, increment: float, add: float | None = None) -> float:
    """The next load a rule asks for before any cap: +``increase`` (or +``add``), rounded,
    at least one increment up."""
    if add is not None:
        return round_load(load + max(increment, round_load(add, increment)), increment)
    return max(
        round_load(load * (1 + increase), increment), round_load(load + increment, increment)
    )


def next_load(
    load: float,
    increase: float,
    increment: float,
    rise: float = MAX_WEEKLY_RISE,
    add: float | None = None,
) -> float | None:
    """The next load step: :func:`wanted_load`, at most +``rise`` (10 % unless set).

    Returns None when even one increment would be more than that rise (light loads with
    coarse plates): the person stays at this load and the plan says so.
    """
    target = wanted_load(load, increase, increment, add)
    if target > load * (1 + rise) + _EPS:
        target = round_load(load * (1 + rise), increment, "down")
    return target if target > load + _EPS else None


# The biggest first step taken above the weekly cap: a pair of dumbbells one size up (8 ->
# 10 kg, +25 %), about one band colour (+20-40 %, domain-rules.md §1). More (2.5 -> 5 kg is
# +100 %) is another exercise, not a step: the load holds and the note says why.
MAX_FIRST_STEP = 0.25


def first_step(load: float, increment: float) -> float | None:
    """The smallest load above ``load`` the kit makes, one increment up (8 -> 10 kg), or
    None when that is more than :data:`MAX_FIRST_STEP`."""
    up = round(round_load(load, increment, "down") + increment, 6)
    return up if up <= load * (1 + MAX_FIRST_STEP) + _EPS else None


def pct(fraction: float) -> str:
    """``0.1`` -> ``10``, ``0.025`` -> ``2.5``: a fraction as the percent people read."""
    return f"{round(fraction * 100, 1):g}"


def held_load(rise: float) -> str:
    """The note for a load held because one more weight step is above the weekly cap."""
    if abs(rise - MAX_WEEKLY_RISE) < _EPS:
        return HELD_LOAD
    return f"Held at this load: the next weight step would be more than +{pct(rise)} %."


def round_hold(seconds: int) -> int:
    """``seconds`` rounded down to a multiple of 5 s, never below 5 s."""
    return max(HOLD_STEP, seconds // HOLD_STEP * HOLD_STEP)


def band_gap(ladder: tuple[str, ...], band: int) -> int:
    """How many standard TheraBand colours the next band of ``ladder`` is above ``band``.

    Names outside the TheraBand colours cannot be compared, so each step of the person's
    own ladder counts as one colour.
    """
    lower, upper = ladder[band], ladder[band + 1]
    if lower in DEFAULT_BANDS and upper in DEFAULT_BANDS:
        return DEFAULT_BANDS.index(upper) - DEFAULT_BANDS.index(lower)
    return 1


def held_band_gap(ladder: tuple[str, ...], band: int) -> str:
    """The note for a band held because the next one is more than one colour heavier."""
    here, above = ladder[band], ladder[band + 1]
    between = DEFAULT_BANDS[DEFAULT_BANDS.index(here) + 1]
    return (
        f"Held at the {here} band: your next band, {above}, is much heavier; "
        f"a {between} band would let you move on."
    )


def _step_up(value: int | None, rule: RepsRule | HoldRule, week: int) -> int | None:
    """``value`` plus ``rule.step`` in the weeks the rule acts, capped (never lowered)."""
    if value is None or week < 2 or (week - 1) % rule.every:
        return value
    return max(value, min(rule.cap, value + rule.step))


def progress_reps(dose: Dose, rule: RepsRule, week: int) -> Dose:
    """Add ``rule.step`` to the count every ``rule.every`` weeks, up to ``rule.cap``."""
    return replace(dose, count=_step_up(dose.count, rule, week))


def progress_sets(dose: Dose, rule: SetsRule, week: int) -> Dose:
    """Add sets in the weeks the rule lists, never past its cap."""
    if week not in rule.at_weeks:
        return dose
    return replace(dose, sets=min(rule.cap, dose.sets + rule.add))


def progress_hold(dose: Dose, rule: HoldRule, week: int) -> Dose:
    """Lengthen the hold every ``rule.every`` weeks, up to ``rule.cap`` seconds."""
    return replace(dose, seconds=_step_up(dose.seconds, rule, week))


def progress_band(dose: Dose, rule: BandRule, week: int, ladder: tuple[str, ...]) -> Dose:
    """Double progression with bands: reps up to the top, then one colour up, reps reset.

    One colour is a 20-40 % jump, so reps are used up first (domain-rules.md §1). A next
    band on ``ladder`` more than one standard colour heavier is too big a jump: the band
    holds at the top of the range and the note says which band would let it go on.
    """
    if week < 2 or dose.count is None or dose.band is None or (week - 1) % rule.every:
        return dose
    if dose.count < rule.high:
        return replace(dose, count=min(rule.high, dose.count + rule.step), held="")
    if dose.band + 1 >= len(ladder):
        return replace(dose, held=HELD_BAND)
    if band_gap(ladder, dose.band) > 1:
        return replace(dose, held=held_band_gap(ladder, dose.band))
    return replace(dose, band=dose.band + 1, count=rule.low, held="")


def progress_load(
    dose: Dose, rule: LoadRule, week: int, increment: float, rise: float = MAX_WEEKLY_RISE
) -> Dose:
    """Double progression with weight: reps up to the top, then more load, reps reset.

    With ``low == high`` the reps stay and the load rises every week (linear progression).
    """
    if week < 2 or dose.count is None or dose.load is None:
        return dose
    if dose.count < rule.high:
        return replace(dose, count=min(rule.high, dose.count + rule.step), held="")
    raised = next_load(dose.load, rule.increase, increment, rise, rule.add)
    if raised is not None and raised > MAX_LOAD:
        # Past any human lift (ten years of rises could climb there): the plan stops.
        return replace(dose, held=HELD_LOAD_TOP)
    if raised is None:
        return replace(dose, held=held_load(rise))
    return replace(dose, load=raised, count=rule.low, held="")


def progress_variant(
    dose: Dose, rule: VariantRule, week: int, harder: str, ladder: tuple[str, ...] = ()
) -> Dose:
    """Move to the harder variation once ``rule.after_weeks`` weeks are done, at the
    starting dose the rule states, if it states one (a variation dosed another way)."""
    if week != rule.after_weeks + 1:
        return dose
    if not rule.states_dose:
        return replace(dose, exercise=harder)
    return replace(
        dose,
        exercise=harder,
        sets=rule.sets or dose.sets,
        count=rule.reps if rule.reps is not None else rule.steps,
        seconds=rule.seconds,
        band=ladder.index(rule.band) if rule.band in ladder else None,
        load=rule.load,
        held="",
    )


def deload(dose: Dose, plan: Deload, increment: float) -> Dose:
    """A lighter week: volume cut by ``plan.volume_cut``, load down, band one colour down.

    Sets are cut first, then reps or seconds, so the volume lands close to the target
    while keeping every exercise in the session (Rogerson 2024: keep exercise choice).
    Hold times are rounded down to whole 5 s (:func:`round_hold`).
    """
    keep = 1 - plan.volume_cut
    sets = max(1, round(dose.sets * keep))
    per_set = dose.count or dose.seconds or 0
    amount = max(1, round(dose.sets * per_set * keep / sets))
    load = dose.load
    if load is not None:
        # Never drop so far that returning next week would break the 10 % cap: with
        # coarse plates a full 10 % cut would otherwise ratchet the load down for good.
        lowest_return = round_load(load / (1 + MAX_WEEKLY_RISE), increment, "up")
        load = min(
            load, max(round_load(load * (1 - plan.load_cut), increment, "down"), lowest_return)
        )
    band = None if dose.band is None else max(0, dose.band - plan.band_down)
    if dose.count is not None:
        return replace(dose, sets=sets, count=min(amount, dose.count), load=load, band=band)
    seconds = None if dose.seconds is None else round_hold(min(amount, dose.seconds))
    return replace(dose, sets=sets, seconds=seconds, load=load, band=band)


@dataclass(frozen=True, slots=True)
class Lookups:
    """What every rule needs while one plan is generated."""

    library: dict[str, Exercise]
    ladder: tuple[str, ...]
    units: str
    # The program's max_weekly_rise (an entry's own wins, see weekly_rise).
    rise: float = MAX_WEEKLY_RISE


def weekly_rise(entry: ExerciseEntry, look: Lookups) -> float:
    """The most the planner's own steps raise ``entry``'s load a week: the entry's
    ``max_weekly_rise``, else the program's, else 10 %."""
    return entry.max_weekly_rise if entry.max_weekly_rise is not None else look.rise


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


def next_dose(dose: Dose, entry: ExerciseEntry, week: int, look: Lookups) -> Dose:
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
            dose = progress_band(dose, rule, week, look.ladder)
        elif rule.kind == "load":
            dose = progress_load(dose, rule, week, increment, weekly_rise(entry, look))
        else:
            harder = rule.to or look.library[entry.exercise].harder[0]
            dose = progress_variant(dose, rule, week, harder, look.ladder)
    return dose
