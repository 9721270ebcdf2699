"""The training log: what a person did in a session, and how the next morning felt."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from planner.models.common import Frozen, Units

RedFlag = Literal["swelling", "locking", "giving-way", "night-pain", "rest-pain"]
RED_FLAGS: tuple[RedFlag, ...] = ("swelling", "locking", "giving-way", "night-pain", "rest-pain")

# The most sets one log entry holds: even with --extra, more in one exercise is a typo
# (a plan prescribes at most 20).
MAX_LOGGED_SETS = 20

Pain = Annotated[int, Field(ge=0, le=10)]


class LogEntry(Frozen):
    """One exercise of one session as done: per-set reps (or seconds), pain and effort."""

    slot: str
    exercise: str
    done: tuple[Annotated[int, Field(ge=0, le=1000)], ...] = Field(
        min_length=1, max_length=MAX_LOGGED_SETS
    )
    load: Annotated[float, Field(gt=0, le=1000)] | None = None
    unit: Units | None = None
    band: str | None = None
    pain: Pain
    rpe: Annotated[float, Field(ge=0, le=10)] | None = None
    form_broke: bool = False
    note: str = ""
    date: dt.date | None = Field(
        None,
        description="The day of the session when it was logged; it stays the day the pain "
        "was felt even if a later revision moves the session.",
    )


class Checkin(Frozen):
    """Morning pain on one day, and any red-flag signs the person noticed. A day may have
    several check-ins; all of them are kept and all of them count."""

    date: dt.date
    morning_pain: Pain
    red_flags: tuple[RedFlag, ...] = ()
    recorded: dt.datetime | None = Field(
        None, description="When it was recorded (set by the store when it reads it back)."
    )


ClearanceKind = Literal["red-flags", "phase"]


class Clearance(Frozen):
    """A clinician's go-ahead the person recorded ('planner clear'): about the red flags
    reported so far (it lifts the need for review, never the clean week), or, with
    'kind="phase"', for the next phase to start although its goals are not all met. The
    one never stands for the other."""

    date: dt.date
    note: Annotated[str, Field(min_length=1, max_length=500)]
    kind: ClearanceKind = "red-flags"
    entered: dt.date | None = Field(
        None, description="The day it was entered (later than 'date' for a visit entered late)."
    )
    recorded: dt.datetime | None = Field(
        None, description="When it was recorded (set by the store when it reads it back)."
    )


class Logged(Frozen):
    """A stored log entry with when it was written and whether a later one replaced it."""

    entry: LogEntry
    logged_at: dt.datetime
    replaced: bool = False
