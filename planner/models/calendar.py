"""How a plan is laid out as a calendar: name, colour, reminders, refresh hints, UTC times.

These choices shape the calendar, not the training, so they live apart from
:class:`~planner.models.plan.PlanOptions` and can change at every export.
"""

from typing import Annotated

from pydantic import Field

from planner.models.common import Frozen

DEFAULT_REFRESH_MINUTES = 12 * 60


class CalendarOptions(Frozen):
    """Calendar-level settings; ``None`` means "use the default"."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    color: str | None = None
    remind: Annotated[int, Field(ge=0, le=7 * 24 * 60)] | None = None
    refresh: Annotated[int, Field(ge=15, le=31 * 24 * 60)] = DEFAULT_REFRESH_MINUTES
    utc: bool = False

    def merged(self, override: "CalendarOptions", given: set[str]) -> "CalendarOptions":
        """This one with the fields named in ``given`` taken from ``override``."""
        return self.model_copy(update={field: getattr(override, field) for field in given})
