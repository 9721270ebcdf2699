"""Generated plans: the options a person chose and the dated sessions that result.

A plan serialises to JSON and reads back to an identical model (``planner show`` and later
features rely on that round trip).
"""

import datetime as dt
from typing import Annotated

from pydantic import Field

from planner.models.common import Frozen, Units, Weekday


class PlanOptions(Frozen):
    """What the person asked for; checked by the CLI before generation."""

    start: dt.date
    days: tuple[Weekday, ...] = Field(min_length=1)
    weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    time: dt.time | None = None
    tz: str | None = None
    duration: Annotated[int, Field(ge=5, le=480)] | None = None


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
