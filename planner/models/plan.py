"""Generated plans: the options a person chose and the dated sessions that result.

A plan serialises to JSON and reads back to an identical model (``planner show`` and later
features rely on that round trip).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.common import (
    DEFAULT_BANDS,
    FIRST_DATE,
    LAST_DATE,
    Equipment,
    Frozen,
    Level,
    PainFlag,
    PlanText,
    Units,
    Weekday,
)
from planner.models.exercise import ExerciseId
from planner.models.safety import SafetyReport
from planner.models.tempo import Tempo

# Bounds on a plan as read back from a JSON file, which a person may have edited: each is
# well past what generation can produce from a valid template, and small enough that a
# plan is rendered in moments (a billion sets would exhaust memory).
MAX_WEEKS = 520  # ten years, the longest --weeks
MAX_SETS = 20  # templates start at most 10 sets and the sets rule stops at 10
MAX_COUNT = 1000  # reps or steps; templates cap counts at 500
MAX_SECONDS = 3600  # holds and rests; templates cap both at 600 s
MAX_MINUTES = 24 * 60  # a session or block within one day
MAX_EXERCISES = 50  # per session or block
# Loads stop rising at 1000 (planner.plan.progression.MAX_LOAD); a template's 1000 kg
# written in lb is 2205 lb.
MAX_PLAN_LOAD = 2205.0
# The last session of the longest plan that starts on the last allowed day.
LAST_SESSION_DATE = LAST_DATE + dt.timedelta(weeks=MAX_WEEKS + 1)

Rpe = Annotated[float, Field(ge=0, le=10)]


class StartLoad(Frozen):
    """A starting load the person gave for one exercise ('--load hip-thrust=40kg')."""

    exercise: ExerciseId
    value: Annotated[float, Field(gt=0, le=1000)]
    unit: Units

    def __str__(self) -> str:
        return f"{self.exercise}={self.value:g}{self.unit}"


class PhaseLength(Frozen):
    """A phase length the person asked for ('--phase-weeks strength=4')."""

    phase: PlanText
    weeks: Annotated[int, Field(ge=1, le=52)]

    def __str__(self) -> str:
        return f"{self.phase}={self.weeks}"


class DayRange(Frozen):
    """Days off the person gave when generating ('--skip 2026-12-24..2026-12-26'):
    'first' to 'last', both included. No session falls on them."""

    first: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_SESSION_DATE)]
    last: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_SESSION_DATE)]

    @model_validator(mode="after")
    def _ordered(self) -> "DayRange":
        if self.last < self.first:
            raise ValueError("a day range ends before it starts")
        return self

    def __str__(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


class Holiday(Frozen):
    """A public holiday of the region the person chose ('--holidays GB'), looked up when
    the plan was made, so the same saved plan always gives the same dates."""

    date: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_SESSION_DATE)]
    name: PlanText


class PlanPause(Frozen):
    """A break the person asked for ('planner pause'): illness, travel, a busy month.

    Sessions not yet done that fall on or after 'start' wait; once the pause has an
    'end' (the first day back: '--until' plus one day, or 'planner resume --on')
    every one of them moves later by the pause's length in days. Nothing to do with a
    safety stop after red flags, which only the clearance rules lift.
    """

    start: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_SESSION_DATE)]
    end: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_SESSION_DATE)] | None = Field(
        None, description="First day back (None: still paused)."
    )
    note: PlanText | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "PlanPause":
        if self.end is not None and self.end <= self.start:
            raise ValueError("a pause ends on or before the day it starts")
        return self

    @property
    def days(self) -> int | None:
        """Length in days (None while it has no end)."""
        return None if self.end is None else (self.end - self.start).days


class SessionMove(Frozen):
    """One session the person moved to another day ('planner move NAME W3S2 --to D')."""

    slot: PlanText
    date: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_SESSION_DATE)]
    note: PlanText | None = None


class SkippedSession(Frozen):
    """A session the person records as missed on purpose ('planner skip NAME W3S2')."""

    slot: PlanText
    on: dt.date = Field(description="The day it was recorded.")
    note: PlanText | None = None


class PlanOptions(Frozen):
    """What the person asked for; checked by the CLI before generation.

    The personal fields default to "as the template says": no pain flags, no limit on
    equipment, the template's starting doses (beginner), its units and band ladder.
    """

    start: Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_DATE)]
    days: tuple[Weekday, ...] = Field(min_length=1)
    weeks: Annotated[int, Field(ge=1, le=MAX_WEEKS)] | None = None
    time: dt.time | None = None
    tz: PlanText | None = None
    duration: Annotated[int, Field(ge=5, le=480)] | None = None
    avoid: tuple[PainFlag, ...] = ()
    equipment: tuple[Equipment, ...] | None = None
    level: Level = "beginner"
    units: Units | None = None
    loads: tuple[StartLoad, ...] = ()
    bands: tuple[PlanText, ...] | None = None
    phase_weeks: tuple[PhaseLength, ...] = ()
    # Days off and life events. ``skip`` and ``holidays`` are chosen when generating;
    # ``pauses``, ``moves`` and ``skipped`` are added later by planner pause / resume /
    # move / skip. All of them go into the schedule every time the plan is built, so adapt
    # and new revisions keep them.
    skip: tuple[DayRange, ...] = ()
    holidays: PlanText | None = Field(
        None, description="Region whose public holidays are days off: GB, US-CA, DE-BY..."
    )
    holiday_dates: tuple[Holiday, ...] = ()
    pauses: tuple[PlanPause, ...] = ()
    moves: tuple[SessionMove, ...] = ()
    skipped: tuple[SkippedSession, ...] = ()


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
    "days",
]


class Decision(Frozen):
    """One way the plan departs from its template for this person, and why.

    'where' is a phase name, 'warm-up', 'cool-down' or 'plan'; 'exercise' is the
    template's exercise and 'chosen' what the plan uses instead (if anything).
    """

    kind: DecisionKind
    where: PlanText
    exercise: PlanText | None = None
    chosen: PlanText | None = None
    reason: PlanText


class Prescription(Frozen):
    """One exercise as it should be done in one session."""

    exercise: PlanText = Field(description="Exercise id in the library.")
    name: PlanText = Field(description="Exercise name as printed.")
    sets: Annotated[int, Field(ge=1, le=MAX_SETS, description="Number of sets.")]
    reps: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = Field(
        None, description="Repetitions per set (reps exercises)."
    )
    steps: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = Field(
        None, description="Steps each way per set (walking exercises)."
    )
    seconds: Annotated[int, Field(ge=1, le=MAX_SECONDS)] | None = Field(
        None, description="Seconds held per set (hold exercises)."
    )
    per_side: bool = Field(False, description="The amount is done on each side (each leg).")
    band: PlanText | None = Field(
        None, description="Resistance band colour, if the exercise uses a band."
    )
    load: Annotated[float, Field(gt=0, le=MAX_PLAN_LOAD)] | None = Field(
        None, description="External load per set, in `unit`."
    )
    unit: Units | None = Field(None, description="Unit of `load`: kg or lb.")
    rest: Annotated[int, Field(ge=0, le=MAX_SECONDS, description="Rest between sets, in seconds.")]
    cue: PlanText = Field(description="The main form cue.")
    notes: tuple[PlanText, ...] = Field(
        (), description="Extra notes: substitutions, deload, adaptations."
    )
    entry: Annotated[int, Field(ge=0, le=MAX_EXERCISES)] | None = Field(
        None,
        description="Which exercise entry of its phase this is (0 = the first); absent in "
        "plans saved before training days, where it is the position in the session.",
    )
    pinned: bool = Field(
        False,
        description="The template puts this exercise in for this week only, in place of the "
        "entry's own: what is logged here does not move the entry's own exercise on.",
    )
    tempo: Tempo | None = Field(
        None, description="Tempo of each repetition, if the program sets one."
    )
    note: PlanText | None = Field(
        None, description="The program author's note (kept apart from the planner's own notes)."
    )
    group: PlanText | None = Field(
        None,
        description="Superset or circuit label: neighbouring exercises with the same label are "
        "done back to back, resting after each round (the largest rest among them).",
    )


class Session(Frozen):
    """One dated training session ('slot' like 'W3S2' = week 3, session 2)."""

    slot: PlanText = Field(
        description="Week and session number, like W3S2; stable across revisions."
    )
    week: Annotated[int, Field(ge=1, le=MAX_WEEKS, description="Plan week, from 1.")]
    index: Annotated[int, Field(ge=1, le=7, description="Session number within the week, from 1.")]
    phase: PlanText = Field(description="Phase name.")
    date: Annotated[
        dt.date,
        Field(
            ge=FIRST_DATE,
            le=LAST_SESSION_DATE,
            description="Session date (ISO 8601), in the plan's time zone.",
        ),
    ]
    minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES, description="Planned length in minutes.")]
    deload: bool = Field(False, description="Part of a deload week (lighter on purpose).")
    rpe: tuple[Rpe, Rpe] = Field(description="Target effort range, RPE 0-10 (low, high).")
    exercises: tuple[Prescription, ...] = Field(
        max_length=MAX_EXERCISES, description="The main exercises in order."
    )
    notes: tuple[PlanText, ...] = Field(
        (), description="Notes for the whole session (e.g. adaptations from the log)."
    )
    paused: bool = Field(
        False,
        description="Held by a safety stop after red flags: nothing in it asks for "
        "more than the person last managed without trouble.",
    )
    day: PlanText | None = Field(
        None, description="The phase's training day this session is (A, B...), if it has days."
    )
    waiting: bool = Field(
        False,
        description="Falls in a pause the person asked for that has no end yet: it keeps its "
        "date until they resume, then moves. Not a safety stop.",
    )
    skipped: bool = Field(False, description="The person recorded it as missed on purpose.")

    def entries(self) -> tuple[tuple[int, Prescription], ...]:
        """Each prescription with the index of its exercise entry in the phase (its
        position in the session for plans saved before sessions could hold a subset)."""
        return tuple(
            (i if rx.entry is None else rx.entry, rx) for i, rx in enumerate(self.exercises)
        )

    def of_entry(self, entry: int) -> Prescription | None:
        """The prescription of exercise entry ``entry`` of the phase, if this session has it."""
        return next((rx for i, rx in self.entries() if i == entry), None)

    @property
    def title(self) -> str:
        """How the session is named in the calendar and printouts ("Day A" when it has one)."""
        return "" if self.day is None else f"Day {self.day}"


class Moved(Frozen):
    """A session the schedule put on another day than its weekday rhythm gives, and why
    (a day off, a holiday, a pause, the person's own move)."""

    slot: PlanText
    planned: dt.date
    date: dt.date
    why: PlanText


class PhaseSpan(Frozen):
    """Where a phase sits in the plan and what it is for."""

    name: PlanText
    goal: PlanText
    first_week: Annotated[int, Field(ge=1, le=MAX_WEEKS)]
    last_week: Annotated[int, Field(ge=1, le=MAX_WEEKS)]
    sessions_per_week: Annotated[int, Field(ge=1, le=7)]
    days: tuple[Weekday, ...]


class Block(Frozen):
    """Warm-up or cool-down as printed in every session."""

    minutes: Annotated[int, Field(ge=0, le=MAX_MINUTES)]
    activity: PlanText | None = None
    exercises: tuple[Prescription, ...] = Field((), max_length=MAX_EXERCISES)
    notes: tuple[PlanText, ...] = ()


class Plan(Frozen):
    """A complete, dated plan ready to export."""

    id: PlanText = Field(description="Plan id; calendar UIDs derive from it and the session slot.")
    template: PlanText = Field(description="Template slug or file the plan came from.")
    title: PlanText = Field(description="Plan title.")
    summary: PlanText = Field(description="What the plan is for.")
    generator: PlanText = Field(description="planner version that generated the plan.")
    options: PlanOptions = Field(description="What the person asked for.")
    weeks: Annotated[int, Field(ge=1, le=MAX_WEEKS, description="Number of weeks.")]
    units: Units = Field(description="Load unit used throughout: kg or lb.")
    phases: tuple[PhaseSpan, ...] = Field(
        min_length=1, description="Phases in order, with their weeks."
    )
    deload_weeks: tuple[int, ...] = Field((), description="Plan weeks that are deloads.")
    warmup: Block = Field(description="Warm-up done before every session.")
    cooldown: Block = Field(description="Cool-down done after every session.")
    sessions: tuple[Session, ...] = Field(
        min_length=1, max_length=MAX_WEEKS * 7, description="Every dated session in order."
    )
    warnings: tuple[PlanText, ...] = Field(
        (), description="Things the person should know about the schedule or the fit."
    )
    decisions: tuple[Decision, ...] = Field(
        (), description="How and why the plan departs from its template for this person."
    )
    adjustments: tuple[Adjustment, ...] = Field(
        (), description="Changes made by planner adapt from the training log."
    )
    bands: tuple[PlanText, ...] = Field(
        (), description="Band colours, lightest first (empty in plans saved by older versions)."
    )
    moved: tuple[Moved, ...] = Field(
        (), description="Sessions on another day than their weekday rhythm gives, and why."
    )
    rules: AdaptSettings = Field(
        default_factory=AdaptSettings,
        description="The pain and progression thresholds the plan's words and planner adapt "
        "use (the template's [adapt] table).",
    )
    safety: SafetyReport | None = Field(
        None,
        description="The safety state when the plan was exported with its log: every red "
        "flag reported and whether a safety stop stands (absent in a plan as generated).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "Plan":
        """Every session and deload week inside the plan, in one of its phases."""
        phases = {p.name: p for p in self.phases}
        for span in self.phases:
            if not span.first_week <= span.last_week <= self.weeks:
                raise ValueError(
                    f"phase {span.name}: weeks {span.first_week}-{span.last_week} "
                    f"are outside the plan's {self.weeks} weeks"
                )
        for session in self.sessions:
            if session.week > self.weeks:
                raise ValueError(
                    f"session {session.slot}: week {session.week} is past the plan's "
                    f"{self.weeks} weeks"
                )
            if session.phase not in phases:
                raise ValueError(f"session {session.slot}: unknown phase '{session.phase}'")
            if session.rpe[0] > session.rpe[1]:
                raise ValueError(f"session {session.slot}: rpe low is above high")
        if any(not 1 <= w <= self.weeks for w in self.deload_weeks):
            raise ValueError(f"deload_weeks: a week is outside 1-{self.weeks}")
        return self

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
