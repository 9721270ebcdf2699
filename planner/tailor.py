"""Fit a program template to one person (pure): pain flags, kit, level, units, own loads and
bands, phase lengths.

:func:`tailor` returns a template the generator uses as it is, every decision taken (for
``--explain``) and the notes that go on the affected exercises in the calendar, so the
person reads the same reasons in both places.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from planner.errors import OptionError
from planner.models.common import DEFAULT_BANDS
from planner.models.exercise import Exercise
from planner.models.plan import Decision, DecisionKind, PlanOptions
from planner.models.program import ExerciseEntry, Phase, ProgramTemplate
from planner.models.rules import Rule
from planner.options import MAX_WEEKS
from planner.progression import load_increment, round_load
from planner.substitute import AREA, Constraints, candidates, choose, join_and, recast

# Progression weeks of each phase counted as done before week 1 (domain-rules.md §1:
# trained people start higher up the same ladder; the ladder itself does not change).
HEAD_START = {"beginner": 0, "intermediate": 2, "advanced": 4}
LB_PER_KG = 2.2046226218

Key = tuple[str, int]  # (phase name or block name, index of the exercise in it)


@dataclass(frozen=True, slots=True)
class Tailored:
    """A template fitted to one person, and why it differs from the shipped one."""

    program: ProgramTemplate
    library: dict[str, Exercise]
    decisions: tuple[Decision, ...]
    notes: dict[Key, tuple[str, ...]]
    block_notes: dict[str, tuple[str, ...]]
    fixed_loads: frozenset[Key]
    head_start: int
    warnings: tuple[str, ...]


def reshape_weeks(phases: tuple[Phase, ...], weeks: int | None) -> list[int]:
    """Spread ``weeks`` over the phases in proportion to the template (largest remainder).

    Every phase keeps at least one week, so the order activation -> strength -> functional
    survives any length.
    """
    base = [p.weeks for p in phases]
    if weeks is None or weeks == sum(base):
        return base
    if not len(phases) <= weeks <= MAX_WEEKS:
        raise OptionError(
            f"--weeks: {weeks} is out of range; give {len(phases)} to {MAX_WEEKS} "
            f"(one week per phase at least)"
        )
    spare = weeks - len(phases)
    total = sum(base)
    shares = [spare * b / total for b in base]
    out = [1 + int(s) for s in shares]
    order = sorted(range(len(base)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in order[: weeks - sum(out)]:
        out[i] += 1
    return out


def convert(value: float, unit: str, to: str) -> float:
    """A load in ``unit`` expressed in ``to`` (kg or lb), unrounded."""
    if unit == to:
        return value
    return value * LB_PER_KG if to == "lb" else value / LB_PER_KG


def _fmt(value: float, unit: str) -> str:
    return f"{round(value, 1):g} {unit}"


class _Tailor:
    """Works through one template; collects decisions and notes on the way."""

    def __init__(
        self, program: ProgramTemplate, library: dict[str, Exercise], options: PlanOptions
    ) -> None:
        self.program = program
        self.library = library
        self.options = options
        kit = None if options.equipment is None else frozenset(options.equipment)
        self.rules = Constraints(options.avoid, kit)
        self.units = options.units or program.units
        self.decisions: list[Decision] = []
        self.notes: dict[Key, list[str]] = defaultdict(list)
        self.block_notes: dict[str, list[str]] = defaultdict(list)
        self.fixed: set[Key] = set()
        self.warnings: list[str] = []
        used = [e.band for p in program.phases for e in p.exercises if e.band]
        self.start_band = min(used, key=program.bands.index) if used else program.bands[0]

    def decide(
        self,
        kind: DecisionKind,
        where: str,
        reason: str,
        exercise: str | None = None,
        chosen: str | None = None,
    ) -> None:
        self.decisions.append(
            Decision(kind=kind, where=where, exercise=exercise, chosen=chosen, reason=reason)
        )

    # --- exercises -------------------------------------------------------------------

    def fit(self, where: str, entries: tuple[ExerciseEntry, ...], block: bool) -> list[Any]:
        """Replace what the person cannot do; drop it from a warm-up or cool-down if nothing
        fits, refuse (exit 1) if nothing fits a training slot."""
        taken = [e.exercise for e in entries]
        out: list[ExerciseEntry] = []
        for i, given in enumerate(entries):
            entry = given
            ex = self.library[entry.exercise]
            if not self.rules.fits(ex):
                why = self.rules.why_not(ex)
                others = [x for j, x in enumerate(taken) if j != i]
                pick = choose(ex, self.library, self.rules, others)
                if pick is None:
                    if not block:
                        raise OptionError(self._no_fit(where, ex, why, others))
                    self.decide("drop", where, f"{ex.name} is left out: it {why}.", ex.id)
                    self.block_notes[where].append(f"{ex.name} left out: it {why}.")
                    taken[i] = ""
                    continue
                new = pick.exercise
                entry = recast(entry, new, ex, self.start_band)
                taken[i] = new.id
                self.decide(
                    "substitute",
                    where,
                    f"{new.name} replaces {ex.name}, which {why}; chosen as {pick.route}.",
                    ex.id,
                    new.id,
                )
                self.notes[(where, len(out))].append(f"In place of {ex.name}, which {why}.")
            if not block:
                entry = self._variants(where, len(out), self._bodyweight(where, len(out), entry))
            out.append(entry)
        return out

    def _no_fit(self, where: str, ex: Exercise, why: str, taken: list[str]) -> str:
        tried = []
        for option in candidates(ex, self.library, self.rules.avoid)[:4]:
            other = option.exercise
            reason = "is already in the session" if other.id in taken else self.rules.why_not(other)
            tried.append(f"{other.id} {reason}")
        tried_text = f"; tried {', '.join(tried)}" if tried else "; the library has no stand-in"
        return (
            f"no exercise fits the {ex.id} slot of the {where} phase: {ex.name} {why}"
            f"{tried_text}. Add equipment with --equipment, or ask a physiotherapist "
            f"which exercise to use"
        )

    def _bodyweight(self, where: str, index: int, entry: ExerciseEntry) -> ExerciseEntry:
        """A loaded exercise without the weight to load it is done with body weight."""
        ex = self.library[entry.exercise]
        missing = self.rules.missing_kit(ex, loaded=entry.load is not None)
        if entry.load is None or not missing:
            return entry
        data = entry.model_dump(exclude={"load", "increment"})
        data["progression"] = [
            {"kind": "reps", "step": r["step"], "cap": r["high"]} if r["kind"] == "load" else r
            for r in data["progression"]
        ]
        data["pins"] = [{k: v for k, v in p.items() if k != "load"} for p in data["pins"]]
        have = ", ".join(sorted(self.rules.kit or ())) or "none"
        self.decide(
            "bodyweight",
            where,
            f"{ex.name} is done with body weight: its load needs {' and '.join(missing)} "
            f"(--equipment {have}).",
            ex.id,
        )
        self.notes[(where, index)].append(f"Body weight only: no {' or '.join(missing)} at hand.")
        return ExerciseEntry.model_validate(data)

    def _variants(self, where: str, index: int, entry: ExerciseEntry) -> ExerciseEntry:
        """Pin each harder-variation step to a target the person can do, or drop it."""
        ex = self.library[entry.exercise]
        rules: list[Rule] = []
        for rule in entry.progression:
            if rule.kind == "variant":
                target = self.library[rule.to or ex.harder[0]]
                if not self.rules.fits(target):
                    why = self.rules.why_not(target)
                    self.decide(
                        "variant",
                        where,
                        f"{ex.name} does not move on to {target.name}, which {why}.",
                        ex.id,
                        target.id,
                    )
                    self.notes[(where, index)].append(
                        f"Stays at this variation: {target.name} {why}."
                    )
                    continue
                rules.append(rule.model_copy(update={"to": target.id}))
            else:
                rules.append(rule)
        return entry.model_copy(update={"progression": tuple(rules)})

    # --- loads, units and bands ------------------------------------------------------

    def _rounded(self, entry: ExerciseEntry, value: float) -> float:
        step = load_increment(self.library[entry.exercise], entry, self.units)
        return max(step, round_load(value, step))

    def units_of(self, where: str, entry: ExerciseEntry) -> ExerciseEntry:
        """Template loads in the person's units, rounded to their equipment's steps."""
        if entry.load is None or self.units == self.program.units:
            return entry
        # The template's increment is in its own units; the kit default fits the new ones.
        plain = entry.model_copy(update={"increment": None})
        before = self.program.units
        load = self._rounded(plain, convert(entry.load, before, self.units))
        pins = tuple(
            p.model_copy(update={"load": self._rounded(plain, convert(p.load, before, self.units))})
            if p.load is not None
            else p
            for p in entry.pins
        )
        ex = self.library[entry.exercise]
        self.decide(
            "units",
            where,
            f"{ex.name}: {_fmt(entry.load, before)} is "
            f"{_fmt(convert(entry.load, before, self.units), self.units)}, "
            f"rounded to {_fmt(load, self.units)}.",
            ex.id,
        )
        return plain.model_copy(update={"load": load, "pins": pins})

    def own_loads(self, phases: list[list[ExerciseEntry]]) -> None:
        """Apply ``--load``: the first phase with the exercise starts at the person's load;
        later phases keep the template's ratio to it."""
        names = [p.name for p in self.program.phases]
        original = {e.exercise for p in self.program.phases for e in p.exercises}
        for given in self.options.loads:
            spots = [
                (n, i, e)
                for n, entries in zip(names, phases, strict=True)
                for i, e in enumerate(entries)
                if e.exercise == given.exercise
            ]
            loaded = [(n, i, e) for n, i, e in spots if e.load is not None]
            if not loaded:
                raise OptionError(self._load_error(given.exercise, spots != [], original))
            first = loaded[0][2].load
            assert first is not None
            wanted = convert(given.value, given.unit, self.units)
            for n, i, entry in loaded:
                assert entry.load is not None
                load = self._rounded(entry, wanted * entry.load / first)
                phases[names.index(n)][i] = entry.model_copy(update={"load": load})
                self.fixed.add((n, i))
                was = self.program.phases[names.index(n)].exercises[i].load
                ex = self.library[entry.exercise]
                self.decide(
                    "load",
                    n,
                    f"{ex.name} starts at {_fmt(load, self.units)} (--load {given}; "
                    f"the template had {_fmt(was or 0, self.program.units)}).",
                    ex.id,
                )

    def _load_error(self, exercise: str, in_plan: bool, original: set[str]) -> str:
        loaded = sorted(
            {e.exercise for p in self.program.phases for e in p.exercises if e.load is not None}
        )
        allowed = f"exercises with a load in this plan: {', '.join(loaded) or 'none'}"
        if exercise not in self.library:
            from planner.templates import unknown_exercise

            return f"--load: {unknown_exercise(exercise, self.library)}; {allowed}"
        if in_plan:
            return f"--load: {exercise} is done with body weight in this plan; {allowed}"
        if exercise in original:
            return f"--load: {exercise} is not in your plan (it was replaced, see --explain)"
        return f"--load: {exercise} is not in the {self.program.title} plan; {allowed}"

    def band_map(self) -> dict[str, str]:
        """Template band name -> the person's band: the same colour if they have it, else
        the heaviest of theirs that is not heavier (unknown names: same place on the ladder).
        """
        own = self.options.bands
        if not own:
            return {}
        ladder = self.program.bands
        out: dict[str, str] = {}
        for name in ladder:
            if name in own:
                out[name] = name
            elif name in DEFAULT_BANDS and all(b in DEFAULT_BANDS for b in own):
                lighter = [b for b in own if DEFAULT_BANDS.index(b) <= DEFAULT_BANDS.index(name)]
                out[name] = lighter[-1] if lighter else own[0]
            else:
                out[name] = own[ladder.index(name) * (len(own) - 1) // max(1, len(ladder) - 1)]
        return out

    def bands_of(self, entry: ExerciseEntry, mapping: dict[str, str]) -> ExerciseEntry:
        """``entry`` with its bands named on the person's ladder."""
        if not mapping or (entry.band is None and not any(p.band for p in entry.pins)):
            return entry
        pins = tuple(
            p.model_copy(update={"band": mapping[p.band]}) if p.band else p for p in entry.pins
        )
        band = mapping[entry.band] if entry.band else None
        return entry.model_copy(update={"band": band, "pins": pins})

    # --- plan-wide ---------------------------------------------------------------------

    def phase_lengths(self) -> list[int]:
        """Phase lengths from ``--phase-weeks`` and ``--weeks`` (the rest shared out)."""
        phases = self.program.phases
        names = [p.name for p in phases]
        given = {p.phase: p.weeks for p in self.options.phase_weeks}
        for name in given:
            if name not in names:
                raise OptionError(
                    f"--phase-weeks: '{name}' is not a phase of this template; "
                    f"its phases are {', '.join(names)}"
                )
        weeks = self.options.weeks
        rest = [p for p in phases if p.name not in given]
        fixed = sum(given.values())
        if weeks is not None and given:
            if not rest and fixed != weeks:
                raise OptionError(
                    f"--phase-weeks adds up to {fixed} weeks but --weeks is {weeks}; "
                    f"make them agree or give only one of them"
                )
            if rest and weeks - fixed < len(rest):
                raise OptionError(
                    f"--phase-weeks takes {fixed} of the {weeks} weeks, leaving "
                    f"{weeks - fixed} for {', '.join(p.name for p in rest)}; "
                    f"each phase needs at least one week"
                )
        if not given:
            return reshape_weeks(phases, weeks)
        shared = iter(reshape_weeks(tuple(rest), None if weeks is None else weeks - fixed))
        return [given[p.name] if p.name in given else next(shared) for p in phases]

    def promote_cues(self, used: set[str]) -> dict[str, Exercise]:
        """Put each flag's cue first on the exercises that stay (domain-rules.md §7)."""
        library = dict(self.library)
        for ex_id in sorted(used):
            ex = self.library[ex_id]
            promoted = [ex.cue_for[f] for f in self.options.avoid if f in ex.cue_for]
            if not promoted:
                continue
            cues = (*promoted, *(c for c in ex.cues if c not in promoted))
            library[ex_id] = ex.model_copy(update={"cues": cues})
            flags = [f for f in self.options.avoid if f in ex.cue_for]
            areas = join_and([AREA[f] for f in flags])
            self.decide(
                "cue", "plan", f"{ex.name}: cue for {areas} put first: {promoted[0]}", ex_id
            )
        return library

    def cue_notes(self, phases: list[list[ExerciseEntry]], library: dict[str, Exercise]) -> None:
        """Tell the person, on each exercise, why its first cue is the one shown."""
        for phase, entries in zip(self.program.phases, phases, strict=True):
            for index, entry in enumerate(entries):
                ex = library[entry.exercise]
                flags = [f for f in self.options.avoid if f in ex.cue_for]
                if not flags:
                    continue
                notes = self.notes[(phase.name, index)]
                notes.append(
                    f"Cue chosen first with {' and '.join(AREA[f] for f in flags)} in mind."
                )
                notes += [f"Also: {cue}" for cue in ex.cues[1 : len(flags)]]

    def knee_focus(self, phases: list[list[ExerciseEntry]]) -> None:
        """Knee-pain templates keep a knee exercise; say so when the options rule it out."""
        if not self.program.knee_focus:
            return
        if any(self.library[e.exercise].knee_focused for p in phases for e in p):
            return
        message = (
            "no knee-focused exercise fits your options, though knee-pain guidelines "
            "advise one; ask a physiotherapist which knee exercise you tolerate"
        )
        self.decide("knee-focus", "plan", message[0].upper() + message[1:] + ".")
        self.warnings.append(message)


def tailor(
    program: ProgramTemplate, library: dict[str, Exercise], options: PlanOptions
) -> Tailored:
    """Fit ``program`` to the person described by ``options``.

    Raises:
        OptionError: an option does not fit this template (unknown phase, a load for an
            exercise that is not loaded here, weeks that do not add up), or no exercise
            fits one of the training slots.
    """
    t = _Tailor(program, library, options)
    warmup = t.fit("warm-up", program.warmup.exercises, block=True)
    cooldown = t.fit("cool-down", program.cooldown.exercises, block=True)
    phases = [
        [t.units_of(p.name, e) for e in t.fit(p.name, p.exercises, block=False)]
        for p in program.phases
    ]
    t.own_loads(phases)
    if t.units != program.units:
        t.decide("units", "plan", f"Loads are in {t.units}, rounded to your equipment's steps.")
    mapping = t.band_map()
    if mapping:
        used = {b for p in phases for e in p for b in (e.band, *(x.band for x in e.pins)) if b}
        changed = [f"{a} -> {b}" for a, b in mapping.items() if a != b and a in used]
        moved = f"; template bands on your ladder: {', '.join(changed)}" if changed else ""
        t.decide(
            "band",
            "plan",
            f"Bands: your ladder {' < '.join(options.bands or ())}{moved}. "
            f"Bands move up your ladder and stop at its heaviest.",
        )
    phases = [[t.bands_of(e, mapping) for e in p] for p in phases]
    lengths = t.phase_lengths()
    if options.phase_weeks:
        shape = ", ".join(f"{p.name} {n}" for p, n in zip(program.phases, lengths, strict=True))
        t.decide(
            "weeks",
            "plan",
            f"Phase lengths in weeks: {shape} (template: "
            f"{', '.join(str(p.weeks) for p in program.phases)}).",
        )
    t.knee_focus(phases)
    head_start = HEAD_START[options.level]
    if head_start:
        t.decide(
            "level",
            "plan",
            f"Level {options.level}: each phase starts {head_start} progression weeks up its "
            f"ladder (more reps, sets, hold time, band or load where the template allows).",
        )
    used = {e.exercise for p in phases for e in p} | {e.exercise for e in (*warmup, *cooldown)}
    used |= {r.to for p in phases for e in p for r in e.progression if r.kind == "variant" and r.to}
    tailored_library = t.promote_cues(used)
    t.cue_notes(phases, tailored_library)
    new_program = program.model_copy(
        update={
            "units": t.units,
            "bands": options.bands or program.bands,
            "warmup": program.warmup.model_copy(update={"exercises": tuple(warmup)}),
            "cooldown": program.cooldown.model_copy(update={"exercises": tuple(cooldown)}),
            "phases": tuple(
                p.model_copy(update={"exercises": tuple(entries), "weeks": n})
                for p, entries, n in zip(program.phases, phases, lengths, strict=True)
            ),
        }
    )
    return Tailored(
        program=new_program,
        library=tailored_library,
        decisions=tuple(t.decisions),
        notes={k: tuple(v) for k, v in t.notes.items()},
        block_notes={k: tuple(v) for k, v in t.block_notes.items()},
        fixed_loads=frozenset(t.fixed),
        head_start=head_start,
        warnings=tuple(t.warnings),
    )
