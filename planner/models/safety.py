"""The safety state of a plan as data: every red flag reported, and whether progression is
paused because of them (computed by :func:`planner.training.safety_state.safety_state`)."""

import datetime as dt
from typing import Literal, TypeGuard, get_args

from pydantic import Field

from planner.models.common import Frozen

FlagKind = Literal[
    "pain",
    "morning-pain",
    "no-improvement",
    "swelling",
    "locking",
    "giving-way",
    "night-pain",
    "rest-pain",
]

FLAG_KINDS: frozenset[str] = frozenset(get_args(FlagKind))


def is_flag_kind(kind: str) -> TypeGuard[FlagKind]:
    """Whether ``kind`` names a kind of red flag."""
    return kind in FLAG_KINDS


# Signs a clinician should look at before training goes on: a clean week is not enough.
CLINICAL_KINDS: frozenset[str] = frozenset(
    ("swelling", "locking", "giving-way", "night-pain", "rest-pain")
)


class RedFlagReport(Frozen):
    """One red flag: what was reported, on which day, and where."""

    date: dt.date = Field(description="Day the sign was reported for (session or check-in).")
    kind: FlagKind = Field(description="What kind of red flag it is.")
    text: str = Field(description="The red flag in words, as shown to the person.")
    needs_clearance: bool = Field(
        description="Only a clinician's clearance (planner clear) and a clean week lift it."
    )
    recorded: dt.datetime | None = Field(
        None, description="When the check-in that reported it was recorded, if known."
    )


class Pause(Frozen):
    """A safety stop: a stretch of time in which nothing got (or gets) harder because of red
    flags."""

    since: dt.date = Field(description="Day of the first red flag of this safety stop.")
    flags: tuple[RedFlagReport, ...] = Field(description="The red flags of this safety stop.")
    lifted: dt.date | None = Field(
        None, description="Day the safety stop was lifted (None: it stands)."
    )
    how: str = Field("", description="How the safety stop was lifted, in words.")


class SafetyReport(Frozen):
    """The safety state on one day: every red flag ever reported and every pause."""

    today: dt.date = Field(description="The day the state was computed for.")
    paused: bool = Field(False, description="Whether a safety stop stands right now.")
    flags: tuple[RedFlagReport, ...] = Field(
        (), description="Every red flag ever reported, oldest first."
    )
    pauses: tuple[Pause, ...] = Field((), description="Every safety stop, oldest first.")
    to_lift: tuple[str, ...] = Field(
        (),
        description="What still has to happen before the standing safety stop is lifted, in words "
        "(the clinician's go-ahead first when it is one of them).",
    )
    needs_clearance: bool = Field(
        False,
        description="The standing safety stop waits for a clinician's go-ahead (planner clear).",
    )
    high_mornings: tuple[tuple[dt.date, int], ...] = Field(
        (),
        description="Mornings with pain above the hold threshold (not red flags): they hold "
        "progression for the week after them.",
    )

    @property
    def standing(self) -> Pause | None:
        """The pause that stands today, if any."""
        return self.pauses[-1] if self.paused else None
