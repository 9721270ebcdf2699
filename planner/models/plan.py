"""Generated plans: the options a person chose and the dated sessions that result.

A plan serialises to JSON and reads back to an identical model (``planner show`` and later
features rely on that round trip).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from planner.models.adapt import Adjustment
from planner.models.common import DEFAULT_BANDS, Equipment, Frozen, Level, PainFlag, Units, Weekday
from planner.models.exercise import ExerciseId


class StartLoad(Frozen):
    """A starting load the person gave for one exercise (``--load hip-thrust=40kg``)."""

    exercise: ExerciseId
    value: Annotated[float, Field(gt=0, le=1000)]
    unit: Units

    def __str__(self) -> str:
        return f"{self.exercise}={self.value:g}{self.unit}"


class PhaseLength(Frozen):
    """A phase length the person asked for (``--phase-weeks strength=4``)."""

    phase: str
    weeks: Annotated[int, Field(ge=1, le=52)]

    def __str__(self) -> str:
        return f"{self.phase}={self.weeks}"


class PlanOptions(Frozen):
    """What the person asked for; checked by the CLI before generation.

    The personal fields default to "as the template says": no pain flags, no limit on
    equipment, the template's starting doses (beginner), its units and band ladder.
    """

    start: dt.date
    days: tuple[Weekday, ...] = Field(min_length=1)
    weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    time: dt.time | None = None
    tz: str | None = None
    duration: Annotated[int, Field(ge=5, le=480)] | None = None
    avoid: tuple[PainFlag, ...] = ()
    equipment: tuple[Equipment, ...] | None = None
    level: Level = "beginner"
    units: Units | None = None
    loads: tuple[StartLoad, ...] = ()
    bands: tuple[str, ...] | None = None
    phase_weeks: tuple[PhaseLength, ...] = ()


DecisionKind = Literal[
    "substitute",
    "drop",
    "cue",
    "bodyweight",
    "variant",
    "load",
    "band",
    "units",
    "level",
    "weeks",
    "knee-focus",
]


class Decision(Frozen):
    """One way the plan departs from its template for this person, and why.

    ``where`` is a phase name, ``warm-up``, ``cool-down`` or ``plan``; ``exercise`` is the
    template's exercise and ``chosen`` what the plan uses instead (if anything).
    """

    kind: DecisionKind
    where: str
    exercise: str | None = None
    chosen: str | None = None
    reason: str


class Prescription(Frozen):
    """One exercise as it should be done in one session."""

    exercise: str
    name: str
    sets: int
    reps: int | None = None
    steps: int | None = None
    seconds: int | None = None
    per_side: bool = False
    band: str | None = None
    load: float | None = None
    unit: Units | None = None
    rest: int
    cue: str
    notes: tuple[str, ...] = ()


class Session(Frozen):
    """One dated training session (``slot`` like ``W3S2`` = week 3, session 2)."""

    slot: str
    week: int
    index: int
    phase: str
    date: dt.date
    minutes: int
    deload: bool = False
    rpe: tuple[float, float]
    exercises: tuple[Prescription, ...]
    notes: tuple[str, ...] = ()


class PhaseSpan(Frozen):
    """Where a phase sits in the plan and what it is for."""

    name: str
    goal: str
    first_week: int
    last_week: int
    sessions_per_week: int
    days: tuple[Weekday, ...]


class Block(Frozen):
    """Warm-up or cool-down as printed in every session."""

    minutes: int
    activity: str | None = None
    exercises: tuple[Prescription, ...] = ()
    notes: tuple[str, ...] = ()


class Plan(Frozen):
    """A complete, dated plan ready to export."""

    id: str
    template: str
    title: str
    summary: str
    generator: str
    options: PlanOptions
    weeks: int
    units: Units
    phases: tuple[PhaseSpan, ...]
    deload_weeks: tuple[int, ...] = ()
    warmup: Block
    cooldown: Block
    sessions: tuple[Session, ...]
    warnings: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    bands: tuple[str, ...] = ()

    def band_ladder(self) -> tuple[str, ...]:
        """The plan's band colours, lightest first.

        That is the ladder the plan was generated with. Plans saved before plans kept it
        fall back to the person's own ladder, else the default colours followed by any
        other band the plan names, in order of first use.
        """
        if self.bands:
            return self.bands
        if self.options.bands:
            return self.options.bands
        used = (rx.band for s in self.sessions for rx in s.exercises if rx.band)
        return tuple(dict.fromkeys((*DEFAULT_BANDS, *used)))
