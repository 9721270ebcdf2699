"""Shared vocabulary for the models: base config and the closed sets of names."""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict

from planner.errors import control_char

PainFlag = Literal["knee", "back", "hamstring"]
PAIN_FLAGS: tuple[PainFlag, ...] = ("knee", "back", "hamstring")
Equipment = Literal["band", "bench", "dumbbell", "barbell", "step", "mat", "foam-roller"]
EQUIPMENT: tuple[Equipment, ...] = (
    "band",
    "bench",
    "dumbbell",
    "barbell",
    "step",
    "mat",
    "foam-roller",
)
Level = Literal["beginner", "intermediate", "advanced"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
DoseKind = Literal["reps", "hold", "steps"]
Units = Literal["kg", "lb"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The dates a plan, a log entry or "today" may fall on. The lower end is the Unix epoch
# (calendar clients and SOURCE_DATE_EPOCH count from it); the upper end leaves a plan of
# the longest length (520 weeks) and any time zone's offset far inside the year 9999
# that Python's dates stop at. A date outside is a typo, not a plan.
FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)

# An exercise entry of a phase: the phase's name and the entry's index (0-based) in its
# exercises, which is also its place in every session of the phase, whichever exercise
# fills it after a swap. (A session's own name, "W3S2", is its ``slot``.)
EntryKey = tuple[str, int]

# TheraBand's published colour order, lightest first (domain-rules.md §1).
DEFAULT_BANDS: tuple[str, ...] = (
    "tan",
    "yellow",
    "red",
    "green",
    "blue",
    "black",
    "silver",
    "gold",
)


class Frozen(BaseModel):
    """Immutable model that rejects unknown keys, so typos in templates surface at once."""

    # defer_build: a model's validator is built on first use, so a command pays only for
    # the models it really validates (start-up time matters for a CLI).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def plain_text(allow: str, advice: str) -> Callable[[object], object]:
    """A check that refuses a text holding a control character not in ``allow``: template
    and plan text reaches the .ics, the documents and the terminal as it is."""

    def check(value: object) -> object:
        # Before stripping: str.strip() would quietly drop a control character at either end.
        char = control_char(value, allow) if isinstance(value, str) else None
        if char is not None:
            raise ValueError(f"the text holds a control character ({char}); {advice}")
        return value

    return check


# Every text of a plan (a plan file or a saved revision): it reaches the .ics, the documents
# and the terminal, so a hand-edited file or an older store cannot slip a control character
# in. Tabs and line breaks stay allowed: a plan carries a template's multi-line summary.
PlanText = Annotated[
    str, BeforeValidator(plain_text("\t\n", "remove it; only tabs and line breaks may be used"))
]
