"""Find a stand-in for an exercise the person cannot do, and re-dose it (pure).

The search follows domain-rules.md §7: first the library's own alternative for the pain
flag (``instead``), then easier variations, then anything else that trains the same main
muscle. A stand-in is never harder than what it replaces (the library's ``difficulty``):
a swap for pain must make things easier, and one for missing kit must not make them
harder. A stand-in keeps the entry's sets, count and rest; rules that cannot apply to it
(a load on a body-weight move, a band on one without) become plain rep or hold rules, so
the person still progresses.
"""

from collections import deque
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from planner.models.common import PainFlag
from planner.models.exercise import Exercise
from planner.models.program import ExerciseEntry, ProgramTemplate

# How each flag is named in explanations.
AREA = {"knee": "the knee", "back": "the lower back", "hamstring": "the hamstrings"}

# Defaults when a stand-in is dosed differently from the entry it fills (domain-rules.md §2:
# holds of 20-45 s, 10-15 reps).
_HOLD_START, _HOLD_STEP, _HOLD_CAP = 20, 5, 45
_REPS_START, _REPS_CAP = 10, 15


def join_and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True, slots=True)
class Constraints:
    """What the person rules out: pain flags, and the kit they have (None = any kit)."""

    avoid: tuple[PainFlag, ...]
    kit: frozenset[str] | None

    def flags_hit(self, ex: Exercise) -> list[PainFlag]:
        """The person's flags that ``ex`` can provoke."""
        return [f for f in self.avoid if f in ex.provokes]

    def missing_kit(self, ex: Exercise, loaded: bool = False) -> list[str]:
        """Equipment ``ex`` needs that the person lacks (a loaded exercise needs a weight)."""
        if self.kit is None:
            return []
        needs = list(ex.equipment)
        if loaded and "barbell" not in needs and "dumbbell" not in needs:
            needs.append("dumbbell")
        return [k for k in needs if k not in self.kit]

    def fits(self, ex: Exercise) -> bool:
        """Whether the person can do ``ex`` at all."""
        return not self.flags_hit(ex) and not self.missing_kit(ex)

    def why_not(self, ex: Exercise, loaded: bool = False) -> str:
        """Why ``ex`` does not fit, in words (empty if it does)."""
        reasons = []
        flags = self.flags_hit(ex)
        if flags:
            areas = join_and([AREA[f] for f in flags])
            reasons.append(f"can aggravate {areas} (--avoid {','.join(flags)})")
        missing = self.missing_kit(ex, loaded)
        if missing:
            have = ",".join(k for k in sorted(self.kit or ())) or "none"
            reasons.append(f"needs {join_and(missing)} (--equipment {have})")
        return " and ".join(reasons)


@dataclass(frozen=True, slots=True)
class StandIn:
    """The chosen stand-in and how it was found (for the explanation)."""

    exercise: Exercise
    route: str


@dataclass(frozen=True, slots=True)
class _Reached:
    """How the search reached an exercise: the words for it, and whether an easier step was
    taken on the way (otherwise only the library's alternatives were followed)."""

    route: str
    via_easier: bool
    depth: int


def _reach(
    ex: Exercise, library: dict[str, Exercise], avoid: Collection[str]
) -> dict[str, _Reached]:
    """Everything reachable from ``ex`` through alternatives and easier variations that is no
    harder than ``ex``, breadth first."""
    found: dict[str, _Reached] = {}
    queue: deque[tuple[Exercise, bool, int]] = deque([(ex, False, 0)])
    while queue:
        current, via_easier, depth = queue.popleft()
        # An alternative may itself provoke another flag and need its own alternative, and
        # an easier variation its own easier one: follow both, the alternative first.
        whose = "" if current.id == ex.id else f" to {current.name}"
        steps = [
            (current.instead[f], f"the library's alternative{whose} for {AREA[f]}", via_easier)
            for f in avoid
            if f in current.provokes
        ]
        steps += [(e, f"an easier variation of {current.name}", True) for e in current.easier]
        for target, route, easier in steps:
            other = library[target]
            # Never through a harder exercise: a library whose links contradict the ranking
            # must not open a path to something harder than what is replaced.
            if target == ex.id or target in found or other.difficulty > ex.difficulty:
                continue
            found[target] = _Reached(route, easier, depth + 1)
            queue.append((other, easier, depth + 1))
    return found


def candidates(ex: Exercise, library: dict[str, Exercise], avoid: Collection[str]) -> list[StandIn]:
    """Every stand-in for ``ex`` that is no harder than it, best first.

    The order follows domain-rules.md §7: the library's alternative for each flag ``ex``
    provokes (and their alternatives in turn), then easier variations, nearest in difficulty
    first, then other exercises for the same main muscle of lower or equal difficulty,
    closest first. Knee work is put first when ``ex`` is knee work.

    Args:
        ex: the exercise to replace.
        library: every exercise, in the library's order (ties keep that order).
        avoid: the person's pain flags; they pick which alternatives apply.

    Returns:
        The stand-ins with the route that found each, not yet checked against the person's
        flags, kit or session: :func:`choose` does that.
    """
    reached = _reach(ex, library, avoid)

    def step_down(other: Exercise) -> int:
        return ex.difficulty - other.difficulty

    mapped = [i for i, r in reached.items() if not r.via_easier]
    # sorted() is stable: at equal difficulty the breadth-first order stays.
    easier = sorted(
        (i for i, r in reached.items() if r.via_easier),
        key=lambda i: (step_down(library[i]), reached[i].depth),
    )
    out = [StandIn(library[i], reached[i].route) for i in (*mapped, *easier)]
    main = ex.muscles[0]
    same = [
        other
        for other in library.values()
        if other.id != ex.id
        and other.id not in reached
        and other.kind == ex.kind
        and other.muscles[0] == main
        and other.difficulty <= ex.difficulty
    ]
    # Closest in difficulty first; between equals, the one that can aggravate fewer areas
    # (the person may be in pain already), then the library's order.
    same.sort(key=lambda other: (step_down(other), len(other.provokes)))
    out += [StandIn(o, f"an exercise for the same main muscle ({main})") for o in same]
    if ex.knee_focused:
        # Keep the knee work the guidelines ask for where any stand-in allows it.
        out.sort(key=lambda s: not s.exercise.knee_focused)
    return out


def choose(
    ex: Exercise, library: dict[str, Exercise], rules: Constraints, taken: Collection[str]
) -> StandIn | None:
    """The best stand-in for ``ex`` that the person can do, or None if there is none.

    The stand-in is never harder than ``ex``, never one of ``taken``, never provokes one of
    the person's flags and never needs kit they lack. None means nothing qualifies: the
    caller must not fall back to a harder exercise (it asks for a physiotherapist instead).

    Args:
        ex: the exercise to replace.
        library: every exercise, keyed by id.
        rules: the person's pain flags and kit.
        taken: every exercise id already in the session, stand-ins chosen for its other
            entries included, so the same exercise is never in a session twice.
    """
    for option in candidates(ex, library, rules.avoid):
        if option.exercise.id not in taken and rules.fits(option.exercise):
            return option
    return None


def takes_load(ex: Exercise) -> bool:
    """Whether a stand-in can carry an external load (it is done with a weight)."""
    return "barbell" in ex.equipment or "dumbbell" in ex.equipment


def _rules(entry: ExerciseEntry, new: Exercise, keep_load: bool, keep_band: bool) -> list[Any]:
    """The entry's progression rules, recast for the stand-in."""
    counted = new.dose != "hold"
    rules: list[dict[str, Any]] = []
    for rule in entry.progression:
        data = rule.model_dump()
        kind = rule.kind
        if kind == "variant":
            continue  # the old exercise's harder step means nothing for the stand-in
        if kind in ("load", "band") and not (keep_load if kind == "load" else keep_band):
            # The pace the author set (a band rule's 'every') carries over to the reps.
            data = {
                "kind": "reps",
                "step": data["step"],
                "cap": data["high"],
                "every": data.get("every", 1),
            }
            kind = "reps"
        if kind in ("reps", "load", "band") and not counted:
            data = {"kind": "hold", "step": _HOLD_STEP, "cap": _HOLD_CAP}
        elif kind == "hold" and counted:
            data = {"kind": "reps", "step": 1, "cap": _REPS_CAP}
        if all(r["kind"] != data["kind"] for r in rules):
            rules.append(data)
    return rules


def lightest_band(program: ProgramTemplate) -> str:
    """The lightest band the program starts anyone on: where a stand-in with a band begins."""
    used = [e.band for p in program.phases for e in p.exercises if e.band]
    return min(used, key=program.bands.index) if used else program.bands[0]


def recast(
    entry: ExerciseEntry, new: Exercise, old: Exercise, start_band: str | None
) -> ExerciseEntry:
    """``entry`` with ``new`` in place of ``old``: same sets, count and rest, fitting rules."""
    keep_load = entry.load is not None and takes_load(new)
    keep_band = "band" in new.equipment
    data: dict[str, Any] = {"exercise": new.id, "sets": entry.sets, "rest": entry.rest}
    # A stand-in takes the entry's place on its day and in its weeks.
    data.update(day=entry.day, weeks=entry.weeks)
    # The author's display name describes the move replaced, so the stand-in goes by its
    # own; its note (it may warn about pain) and superset group stay with the slot, and
    # its tempo unless the stand-in is a hold.
    data.update(note=entry.note, group=entry.group)
    if new.dose != "hold":
        data["tempo"] = entry.tempo
    count = entry.reps if entry.reps is not None else entry.steps
    if new.dose == "hold":
        data["seconds"] = entry.seconds or _HOLD_START
    else:
        data["reps" if new.dose == "reps" else "steps"] = count or _REPS_START
    if keep_load:
        data.update(load=entry.load, increment=entry.increment)
    if keep_band:
        data["band"] = entry.band or start_band
    data["progression"] = _rules(entry, new, keep_load, keep_band)
    if new.dose == old.dose:
        # Exact weekly doses still apply to a stand-in dosed the same way, minus any
        # load or band it cannot carry.
        strip = {"load"} - ({"load"} if keep_load else set())
        strip |= {"band"} - ({"band"} if keep_band else set())
        data["pins"] = [
            {k: v for k, v in pin.model_dump(exclude_none=True).items() if k not in strip}
            if pin.exercise is None
            else pin.model_dump(exclude_none=True)
            for pin in entry.pins
        ]
    else:
        # A week the template gives to another exercise stays that exercise's.
        data["pins"] = [pin.model_dump(exclude_none=True) for pin in entry.pins if pin.exercise]
    return ExerciseEntry.model_validate(data)
