"""Program templates: phases of dosed exercises with their progression rules."""

from typing import Annotated

from pydantic import Field, PositiveInt, StringConstraints, field_validator, model_validator

from planner.models.adapt import AdaptSettings
from planner.models.common import DEFAULT_BANDS, Frozen, Units
from planner.models.exercise import ExerciseId, Prose, Text, UserExercise
from planner.models.rules import COUNT_RULES, Rule

Count = Annotated[int, Field(ge=1, le=500)]
Seconds = Annotated[int, Field(ge=1, le=600)]
# Loads and steps in the template's units. The lower ends are the smallest weights sold
# (0.25 kg fractional plates, about half a pound); smaller is a typo that would round to
# a prescription of 0 kg. 1000 is past any human lift; steps above 50 are never one step.
Load = Annotated[float, Field(ge=0.25, le=1000)]
Increment = Annotated[float, Field(ge=0.25, le=50)]
Rpe = Annotated[float, Field(ge=1, le=10)]


class Pin(Frozen):
    """Exact dosage for one week of the phase, overriding the rules (published protocols)."""

    week: PositiveInt
    sets: Annotated[int, Field(ge=1, le=10)] | None = None
    reps: Count | None = None
    steps: Count | None = None
    seconds: Seconds | None = None
    band: Text | None = None
    load: Load | None = None


class Dosage(Frozen):
    """Starting dose of an exercise: sets plus the count that matches its dose kind."""

    sets: Annotated[int, Field(ge=1, le=10)]
    reps: Count | None = None
    steps: Count | None = None
    seconds: Seconds | None = None
    band: Text | None = None
    load: Load | None = None
    increment: Increment | None = None
    rest: Annotated[int, Field(ge=0, le=600)] | None = None


class ExerciseEntry(Dosage):
    """An exercise as prescribed in a phase, with the rules that move it on week by week."""

    exercise: ExerciseId
    progression: tuple[Rule, ...] = ()
    pins: tuple[Pin, ...] = ()

    @model_validator(mode="after")
    def _one_dose_and_one_count_rule(self) -> "ExerciseEntry":
        given = [f for f in ("reps", "steps", "seconds") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of reps, steps or seconds")
        kinds = [r.kind for r in self.progression]
        counters = [k for k in kinds if k in COUNT_RULES]
        if len(counters) > 1:
            raise ValueError(f"rules {' and '.join(counters)} both change the rep count")
        if len(set(kinds)) != len(kinds):
            raise ValueError("each rule kind may appear once per exercise")
        if "load" in kinds and self.load is None:
            raise ValueError("a 'load' rule needs a starting load")
        if "band" in kinds and self.band is None:
            raise ValueError("a 'band' rule needs a starting band")
        for rule in self.progression:
            if rule.kind in ("band", "load"):
                start = self.reps if self.reps is not None else self.steps
                if start is not None and not rule.low <= start <= rule.high:
                    raise ValueError(
                        f"starting count {start} is outside the {rule.kind} rule's range "
                        f"{rule.low}-{rule.high}"
                    )
        return self


class Phase(Frozen):
    """A block of weeks with one goal, effort target and list of exercises."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]*$")]
    goal: Text
    weeks: Annotated[int, Field(ge=1, le=52)]
    sessions_per_week: Annotated[int, Field(ge=1, le=7)]
    rpe: tuple[Rpe, Rpe]
    rest: Annotated[int, Field(ge=0, le=600)]
    min_hours_between: Annotated[int, Field(ge=0, le=96)] = 0
    minutes: Annotated[int, Field(ge=5, le=180)] = 40
    exercises: tuple[ExerciseEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _rpe_ordered(self) -> "Phase":
        if self.rpe[0] > self.rpe[1]:
            raise ValueError(f"rpe low ({self.rpe[0]}) is above high ({self.rpe[1]})")
        return self


class Block(Frozen):
    """Warm-up or cool-down done the same way every session."""

    minutes: Annotated[int, Field(ge=1, le=60)]
    activity: Text | None = None
    exercises: tuple[ExerciseEntry, ...] = ()

    @model_validator(mode="after")
    def _no_progression(self) -> "Block":
        if any(e.progression or e.pins for e in self.exercises):
            raise ValueError("warm-up and cool-down exercises do not progress; remove the rules")
        return self


class Deload(Frozen):
    """Planned lighter weeks: every ``every``-th week and/or the listed plan weeks."""

    every: Annotated[int, Field(ge=2, le=52)] | None = 5
    weeks: tuple[PositiveInt, ...] = ()
    min_plan_weeks: PositiveInt = 8
    volume_cut: Annotated[float, Field(ge=0.4, le=0.6)] = 0.5
    load_cut: Annotated[float, Field(ge=0.0, le=0.2)] = 0.10
    band_down: Annotated[int, Field(ge=0, le=2)] = 1
    rpe_max: Rpe = 6


class Source(Frozen):
    """Where a template's facts come from."""

    ref: Text
    supports: Prose


class ProgramTemplate(Frozen):
    """A whole program as written in ``templates/programs/<slug>.toml``."""

    title: Text
    summary: Prose
    sources: tuple[Source, ...] = Field(min_length=1)
    units: Units = "kg"
    bands: tuple[Text, ...] = DEFAULT_BANDS
    knee_focus: bool = False
    warmup: Block
    cooldown: Block
    phases: tuple[Phase, ...] = Field(min_length=1)
    deload: Deload | None = None
    adapt: AdaptSettings = Field(default_factory=AdaptSettings)
    exercises: tuple[UserExercise, ...] = Field(
        (),
        description="Exercises of your own, written here as [[exercises]] tables with the "
        "keys of the exercise library; added after the shipped library, your personal "
        "library and 'exercise_files'.",
    )
    exercise_files: tuple[Text, ...] = Field(
        (),
        description="Files of your own exercises ([[exercise]] tables, as in the shipped "
        "library) to add, relative to this template's folder or absolute.",
    )

    @field_validator("bands")
    @classmethod
    def _some_bands(cls, bands: tuple[str, ...]) -> tuple[str, ...]:
        # Generation starts every stand-in with a band on the ladder's lightest colour.
        if not bands:
            raise ValueError("the band ladder is empty; leave 'bands' out for the standard colours")
        return bands

    @model_validator(mode="after")
    def _phases_and_bands(self) -> "ProgramTemplate":
        names = [p.name for p in self.phases]
        if len(set(names)) != len(names):
            raise ValueError(f"phase names must be unique, got {', '.join(names)}")
        if len(set(self.bands)) != len(self.bands):
            raise ValueError("band ladder lists a colour twice")
        return self

    @property
    def weeks(self) -> int:
        """Default plan length: the sum of the phase lengths."""
        return sum(p.weeks for p in self.phases)
