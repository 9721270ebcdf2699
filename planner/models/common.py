"""Shared vocabulary for the models: base config and the closed sets of names."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

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
