"""How a plan is laid out as a calendar: name, colour, reminders, refresh hints, UTC times.

These choices shape the calendar, not the training, so they live apart from
:class:`~planner.models.plan.PlanOptions` and can change at every export.
"""

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from planner.models.common import Frozen, plain_text

DEFAULT_REFRESH_MINUTES = 12 * 60
MAX_NAME = 200
# Event titles start with the plan's title ("Knee plan · W1S1 activation"): short, so a
# phone's month view still shows which session it is.
MAX_TITLE = 40

# Read back from the store: a revision saved before names were checked may hold a line
# break or another control character. Validating with this context repairs such a name
# (see :func:`repaired_name`) instead of refusing the whole revision, so the plan can still
# be exported and given a new name.
STORED = {"stored": True}

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def repaired_name(name: str) -> str | None:
    """``name`` with every run of control characters made one space, stripped and cut to
    :data:`MAX_NAME` characters; ``None`` (the plan title) if nothing is left."""
    text = _CONTROLS.sub(" ", name).strip()[:MAX_NAME].rstrip()
    return text or None


class CalendarOptions(Frozen):
    """Calendar-level settings; 'None' means "use the default"."""

    # One line of text (no tab either): it names a calendar in every client's sidebar.
    name: (
        Annotated[
            str,
            BeforeValidator(plain_text("", "give plain text on one line")),
            Field(min_length=1, max_length=MAX_NAME),
        ]
        | None
    ) = None
    color: str | None = None
    remind: Annotated[int, Field(ge=0, le=7 * 24 * 60)] | None = None
    refresh: Annotated[int, Field(ge=15, le=31 * 24 * 60)] = DEFAULT_REFRESH_MINUTES
    utc: bool = False
    title: (
        Annotated[
            str,
            BeforeValidator(plain_text("", "give plain text on one line")),
            Field(min_length=1, max_length=MAX_TITLE),
        ]
        | None
    ) = Field(
        None,
        description="What every event title starts with, e.g. 'Knee plan' in 'Knee plan · "
        "W1S1 activation' (default: the saved plan's name; none for a plan not saved).",
    )

    @field_validator("name", mode="wrap")
    @classmethod
    def _stored_name(cls, value: Any, handler: Any, info: ValidationInfo) -> Any:
        """A stored name that fails the checks is repaired (see :data:`STORED`)."""
        context = info.context or {}
        if context.get("stored") and isinstance(value, str):
            try:
                return handler(value)
            except ValueError:
                return handler(repaired_name(value))
        return handler(value)

    def merged(self, override: "CalendarOptions", given: set[str]) -> "CalendarOptions":
        """This one with the fields named in ``given`` taken from ``override``."""
        return self.model_copy(update={field: getattr(override, field) for field in given})
