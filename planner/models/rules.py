"""Progression rules: a discriminated union on ``kind``, one small model per rule.

Defaults and bounds follow domain-rules.md §1, §2 and §5.
"""

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PositiveInt,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from planner.models.common import Frozen
from planner.models.exercise import ExerciseId, Text


class _StepRule(Frozen):
    """Shared shape: add 'step' every 'every' weeks, never past 'cap'."""

    step: PositiveInt = 1
    every: PositiveInt = 1
    cap: PositiveInt


class RepsRule(_StepRule):
    """Add 'step' reps (or steps) every 'every' weeks, never past 'cap'."""

    kind: Literal["reps"]
    # As high as a template's starting count may be: a plan must stay within its bounds.
    cap: Annotated[int, Field(ge=1, le=500)]


class SetsRule(Frozen):
    """Add 'add' sets at the listed weeks of the phase (1 = the phase's first week)."""

    kind: Literal["sets"]
    add: PositiveInt = 1
    at_weeks: tuple[PositiveInt, ...] = Field(min_length=1)
    cap: Annotated[int, Field(ge=1, le=10)] = 5


class HoldRule(_StepRule):
    """Add 'step' seconds to a hold every 'every' weeks, never past 'cap'."""

    kind: Literal["hold"]
    step: PositiveInt = 5
    cap: Annotated[int, Field(ge=1, le=600)]


class _RangeRule(Frozen):
    """Shared shape of the double-progression rules: a rep range climbed 'step' a week."""

    low: PositiveInt
    high: Annotated[int, Field(ge=1, le=500)]
    step: PositiveInt = 1

    @model_validator(mode="after")
    def _range_ordered(self) -> "_RangeRule":
        if self.low > self.high:
            raise ValueError(f"rep range low ({self.low}) is above high ({self.high})")
        return self


class BandRule(_RangeRule):
    """Climb the rep range; at the top, move one band up the ladder and restart at 'low'.

    'every': the rule acts (a rep more, or the next band) only every 'every' weeks.
    """

    kind: Literal["band"]
    every: Annotated[
        int,
        Field(
            ge=1,
            le=12,
            description="Weeks between the rule's steps (a rep more, or the next band); "
            "1 = every week.",
        ),
    ] = 1


class LoadRule(_RangeRule):
    """Double progression: climb the rep range, then add load and restart at 'low'.

    'increase' is the wanted rise as a fraction (ACSM: 2-10 %); 'add' instead is a
    fixed amount in the template's units ('add = 0.5': +0.5 kg a step; with 'low ==
    high' plain linear progression). Either result is rounded to the load's increment and
    never exceeds the week-over-week cap ('max_weekly_rise', 10 % unless set).
    """

    kind: Literal["load"]
    increase: Annotated[
        float,
        Field(
            ge=0.02, le=0.10, description="Each load step as a fraction of the load (0.05 = +5 %)."
        ),
    ] = 0.05
    add: Annotated[
        float | None,
        Field(
            ge=0.25,
            le=50,
            description="Each load step as a fixed amount in the template's units, instead of "
            "increase; a whole number of the entry's increment.",
        ),
    ] = None

    @model_serializer(mode="wrap")
    def _without_unused_increase(self, handler: SerializerFunctionWrapHandler) -> Any:
        # With 'add', 'increase' is not used and was not written: a saved copy that wrote
        # its default beside 'add' would be refused when read back.
        data = handler(self)
        if self.add is not None and isinstance(data, dict):
            data.pop("increase", None)
        return data

    @model_validator(mode="after")
    def _increase_or_add(self) -> "LoadRule":
        if self.add is not None and "increase" in self.model_fields_set:
            raise ValueError("give either increase (a fraction) or add (an amount), not both")
        return self


class VariantRule(Frozen):
    """Switch to a harder variation after 'after_weeks' weeks of the phase.

    A variation dosed another way (reps to a hold, say) needs its starting dose stated
    here; the new exercise then climbs from that dose by the entry's own rules.
    """

    kind: Literal["variant"]
    after_weeks: PositiveInt
    to: ExerciseId | None = None
    sets: Annotated[int, Field(ge=1, le=10)] | None = Field(
        None, description="Sets of the new exercise from the switch on (else the sets so far)."
    )
    reps: Annotated[int, Field(ge=1, le=500)] | None = Field(
        None,
        description="Starting reps of the new exercise (needed when it is dosed in reps "
        "and the old one is not).",
    )
    steps: Annotated[int, Field(ge=1, le=500)] | None = Field(
        None, description="Starting steps of the new exercise (needed when dosed in steps)."
    )
    seconds: Annotated[int, Field(ge=1, le=600)] | None = Field(
        None, description="Starting hold of the new exercise in seconds (needed when it is held)."
    )
    band: Text | None = Field(None, description="Starting band of the new exercise.")
    load: Annotated[float, Field(ge=0.25, le=1000)] | None = Field(
        None, description="Starting load of the new exercise, in the template's units."
    )

    @model_validator(mode="after")
    def _one_count(self) -> "VariantRule":
        given = [f for f in ("reps", "steps", "seconds") if getattr(self, f) is not None]
        if len(given) > 1:
            raise ValueError(
                f"give at most one of reps, steps or seconds, not {' and '.join(given)}"
            )
        return self

    @property
    def states_dose(self) -> bool:
        """Whether the rule gives the new exercise a starting dose of its own."""
        return any(getattr(self, f) is not None for f in ("reps", "steps", "seconds"))


Rule = Annotated[
    RepsRule | SetsRule | HoldRule | BandRule | LoadRule | VariantRule,
    Field(discriminator="kind"),
]

# Rules that each drive the rep count; an exercise may carry at most one of them.
COUNT_RULES = ("reps", "band", "load")
