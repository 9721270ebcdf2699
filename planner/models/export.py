"""The JSON export of a saved plan: the plan with what was logged against it.

``planner export NAME --out FILE.json`` writes one :class:`PlanExport`;
``planner schema --kind export`` prints its JSON Schema. ``planner generate --json``
still writes the bare :class:`~planner.models.plan.Plan`, and every command that reads a
plan file reads both.
"""

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.models.common import Frozen
from planner.models.log import Checkin, Clearance, LogEntry
from planner.models.plan import Plan

EXPORT_FORMAT = "planner-export"
"""The ``format`` field that tells an export envelope from a bare plan."""

EXPORT_VERSION = 1
"""The version of the envelope's layout that this code writes."""


class PlanExport(Frozen):
    """A plan as exported with its log: the envelope around the plan that says what the
    file is, which saved plan it came from, and everything logged against it."""

    format: Literal["planner-export"] = Field(
        "planner-export", description="Always 'planner-export': what this file is."
    )
    version: Literal[1] = Field(
        1, description="The version of this layout; a new one gets a new number."
    )
    name: str | None = Field(
        None, description="The saved plan's name (absent for a plan file exported again)."
    )
    revision: int | None = Field(
        None, ge=1, description="The saved plan's revision that was exported."
    )
    exported_on: dt.date | None = Field(
        None, description="The day of the export: the safety state is as of this day."
    )
    plan: Plan = Field(
        description="The plan, with its safety state on the day of the export (as "
        "'planner schema --kind plan' describes it)."
    )
    log: tuple[LogEntry, ...] = Field(
        (),
        description="Every logged exercise that counts (the newest for each session and "
        "exercise), in the order it was logged.",
    )
    checkins: tuple[Checkin, ...] = Field((), description="Every morning check-in, by day.")
    clearances: tuple[Clearance, ...] = Field(
        (), description="Every clinician clearance recorded, by day."
    )
