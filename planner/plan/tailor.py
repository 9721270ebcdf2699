"""Fit a program template to one person (pure): pain flags, kit, level, units, own loads and
bands, phase lengths.

:func:`tailor` returns a template the generator uses as it is, every decision taken (for
``--explain``) and the notes that go on the affected exercises in the calendar, so the
person reads the same reasons in both places.
"""

from dataclasses import dataclass

from planner.errors import OptionError
from planner.models.common import EntryKey
from planner.models.exercise import Exercise
from planner.models.plan import Decision, PlanOptions
from planner.models.program import ExerciseEntry, ProgramTemplate
from planner.models.rules import Rule
from planner.plan.days import other_loads_in_units
from planner.plan.explain import Explanations
from planner.plan.loads import in_units, own_bands, own_loads
from planner.plan.phases import cut_short, phase_lengths
from planner.plan.substitute import (
    AREA,
    Constraints,
    candidates,
    choose,
    join_and,
    lightest_band,
    recast,
)

# Progression weeks of each phase counted as done before week 1 (domain-rules.md §1:
# trained people start higher up the same ladder; the ladder itself does not change).
HEAD_START = {"beginner": 0, "intermediate": 2, "advanced": 4}


@dataclass(frozen=True, slots=True)
class Tailored:
    """A template fitted to one person, and why it differs from the shipped one."""

    program: ProgramTemplate
    library: dict[str, Exercise]
    decisions: tuple[Decision, ...]
    notes: dict[EntryKey, tuple[str, ...]]
    block_notes: dict[str, tuple[str, ...]]
    fixed_loads: frozenset[EntryKey]
    head_start: int
    warnings: tuple[str, ...]


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
        self.log = Explanations()
        self.start_band = lightest_band(program)

    # --- exercises -------------------------------------------------------------------

    def fit(
        self, where: str, entries: tuple[ExerciseEntry, ...], block: bool
    ) -> list[ExerciseEntry]:
        """Replace what the person cannot do; drop it from a warm-up or cool-down if nothing
        fits, refuse (exit 1) if nothing fits a training phase's entry."""
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
                    self.log.decide("drop", where, f"{ex.name} is left out: it {why}.", ex.id)
                    self.log.block_notes[where].append(f"{ex.name} left out: it {why}.")
                    taken[i] = ""
                    continue
                new = pick.exercise
                entry = recast(entry, new, ex, self.start_band)
                taken[i] = new.id
                self.log.decide(
                    "substitute",
                    where,
                    f"{new.name} replaces {ex.name}, which {why}; chosen as {pick.route}.",
                    ex.id,
                    new.id,
                )
                self.log.note((where, len(out)), f"In place of {ex.name}, which {why}.")
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
        self.log.decide(
            "bodyweight",
            where,
            f"{ex.name} is done with body weight: its load needs {' and '.join(missing)} "
            f"(--equipment {have}).",
            ex.id,
        )
        self.log.note((where, index), f"Body weight only: no {' or '.join(missing)} at hand.")
        return ExerciseEntry.model_validate(data)

    def _variants(self, where: str, index: int, entry: ExerciseEntry) -> ExerciseEntry:
        """Drop each harder-variation step whose target the person cannot do."""
        ex = self.library[entry.exercise]
        rules: list[Rule] = []
        for rule in entry.progression:
            if rule.kind == "variant":
                target = self.library[rule.to or ex.harder[0]]
                if not self.rules.fits(target):
                    why = self.rules.why_not(target)
                    self.log.decide(
                        "variant",
                        where,
                        f"{ex.name} does not move on to {target.name}, which {why}.",
                        ex.id,
                        target.id,
                    )
                    self.log.note((where, index), f"Stays at this variation: {target.name} {why}.")
                    continue
            rules.append(rule)
        pins = []
        for pin in entry.pins:
            other = None if pin.exercise is None else self.library[pin.exercise]
            if other is not None and not self.rules.fits(other):
                # That week is done with the entry's own exercise at its usual dose.
                why = self.rules.why_not(other)
                self.log.decide(
                    "variant",
                    where,
                    f"Week {pin.week}: {ex.name} stays in place of {other.name}, which {why}.",
                    other.id,
                    ex.id,
                )
                self.log.note((where, index), f"Week {pin.week}: not {other.name}, which {why}.")
                continue
            pins.append(pin)
        return entry.model_copy(update={"progression": tuple(rules), "pins": tuple(pins)})

    # --- plan-wide ---------------------------------------------------------------------

    def _promoted(self, ex: Exercise) -> list[str]:
        """The cues for the person's flags, in flag order, each once."""
        return list(dict.fromkeys(ex.cue_for[f] for f in self.options.avoid if f in ex.cue_for))

    def promote_cues(self, used: set[str]) -> dict[str, Exercise]:
        """Put each flag's cue first on the exercises that stay (domain-rules.md §7)."""
        library = dict(self.library)
        for ex_id in sorted(used):
            ex = self.library[ex_id]
            promoted = self._promoted(ex)
            if not promoted:
                continue
            cues = (*promoted, *(c for c in ex.cues if c not in promoted))
            library[ex_id] = ex.model_copy(update={"cues": cues})
            flags = [f for f in self.options.avoid if f in ex.cue_for]
            areas = join_and([AREA[f] for f in flags])
            self.log.decide(
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
                notes = self.log.notes[(phase.name, index)]
                areas = join_and([AREA[f] for f in flags])
                notes.append(f"Cue chosen first with {areas} in mind.")
                notes += [f"Also: {cue}" for cue in self._promoted(ex)[1:]]

    def knee_focus(self, phases: list[list[ExerciseEntry]]) -> None:
        """Knee-pain templates keep a knee exercise; say so when the options rule it out."""

        def has_knee_work(entries: list[ExerciseEntry]) -> bool:
            return any(self.library[e.exercise].knee_focused for e in entries)

        written = [list(p.exercises) for p in self.program.phases]
        if not self.program.knee_focus or not any(map(has_knee_work, written)):
            return  # nothing to keep (a user template may lack knee work altogether)
        if any(map(has_knee_work, phases)):
            return
        message = (
            "no knee-focused exercise fits your options, though knee-pain guidelines "
            "advise one; ask a physiotherapist which knee exercise you tolerate"
        )
        self.log.decide("knee-focus", "plan", message[0].upper() + message[1:] + ".")
        self.log.warnings.append(message)


def _has_loads(entries: list[ExerciseEntry]) -> bool:
    """Whether any entry lifts an external load: its own, a pin's or a variation's."""
    return any(
        e.load is not None
        or any(pin.load is not None for pin in e.pins)
        or any(getattr(r, "load", None) is not None for r in e.progression)
        for e in entries
    )


def tailor(
    program: ProgramTemplate, library: dict[str, Exercise], options: PlanOptions
) -> Tailored:
    """Fit ``program`` to the person described by ``options``.

    Raises:
        OptionError: an option does not fit this template (unknown phase, a load for an
            exercise that is not loaded here, weeks that do not add up), or no exercise
            fits one of the training phases' entries.
    """
    t = _Tailor(program, library, options)
    log = t.log
    warmup = t.fit("warm-up", program.warmup.exercises, block=True)
    cooldown = t.fit("cool-down", program.cooldown.exercises, block=True)
    phases = [
        [
            other_loads_in_units(
                in_units(e, library[e.exercise], program.units, t.units, p.name, log),
                library,
                program.units,
                t.units,
            )
            for e in t.fit(p.name, p.exercises, block=False)
        ]
        for p in program.phases
    ]
    fixed = own_loads(program, phases, library, options.loads, t.units, log)
    if t.units != program.units and _has_loads(
        [*warmup, *cooldown, *(e for p in phases for e in p)]
    ):
        # Only said of a plan that weighs something: without loads the unit changes nothing.
        log.decide("units", "plan", f"Loads are in {t.units}, rounded to your equipment's steps.")
    if options.bands:
        phases = own_bands(program, phases, options.bands, log)
    lengths = phase_lengths(program.phases, options.weeks, options.phase_weeks)
    if options.phase_weeks or lengths != [p.weeks for p in program.phases]:
        shape = ", ".join(f"{p.name} {n}" for p, n in zip(program.phases, lengths, strict=True))
        before = ", ".join(str(p.weeks) for p in program.phases)
        log.decide("weeks", "plan", f"Phase lengths in weeks: {shape} (template: {before}).")
    cut_short(program, lengths, library, log)
    t.knee_focus(phases)
    head_start = HEAD_START[options.level]
    if head_start:
        log.decide(
            "level",
            "plan",
            f"Level {options.level}: each phase starts {head_start} progression weeks up its "
            f"ladder (more reps, sets, hold time, band or load where the template allows).",
        )
    used = {e.exercise for p in phases for e in p} | {e.exercise for e in (*warmup, *cooldown)}
    used |= {
        r.to or library[e.exercise].harder[0]
        for p in phases
        for e in p
        for r in e.progression
        if r.kind == "variant"
    }
    used |= {pin.exercise for p in phases for e in p for pin in e.pins if pin.exercise}
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
        decisions=tuple(log.decisions),
        notes={k: tuple(v) for k, v in log.notes.items()},
        block_notes={k: tuple(v) for k, v in log.block_notes.items()},
        fixed_loads=frozenset(fixed),
        head_start=head_start,
        warnings=tuple(log.warnings),
    )
