"""planner: progressive, pain-aware workout plans exported as calendars.

The names in ``__all__`` are the public Python API (see :mod:`planner.api`)::

    >>> import datetime as dt
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> plan = planner.build_plan("hip-knee", options)
    >>> plan.title, len(plan.sessions), plan.sessions[0].slot
    ('Hip strength for knee pain (staged)', 24, 'W1S1')

They are loaded on first use (PEP 562), so ``import planner`` imports none of pydantic,
icalendar or Typer: a command line that starts hundreds of times a day pays only for what
it runs.
"""

from planner.version import __version__

# typing.TYPE_CHECKING without importing typing (a third of this module's import time);
# mypy reads the block below by this name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from planner.api import (
        adapt_plan,
        list_templates,
        load_template,
        log_entries,
        open_store,
        read_plan,
        save_plan,
        to_document,
        to_ics,
    )
    from planner.errors import PlannerError
    from planner.models.calendar import CalendarOptions
    from planner.models.log import LogEntry
    from planner.models.plan import Plan, PlanOptions
    from planner.service.plans import build_plan

# Each public name and the module it lives in.
_HOMES = {
    "CalendarOptions": "planner.models.calendar",
    "LogEntry": "planner.models.log",
    "Plan": "planner.models.plan",
    "PlanOptions": "planner.models.plan",
    "PlannerError": "planner.errors",
    "adapt_plan": "planner.api",
    "build_plan": "planner.service.plans",
    "list_templates": "planner.api",
    "load_template": "planner.api",
    "log_entries": "planner.api",
    "open_store": "planner.api",
    "read_plan": "planner.api",
    "save_plan": "planner.api",
    "to_document": "planner.api",
    "to_ics": "planner.api",
}

__all__ = [
    "CalendarOptions",
    "LogEntry",
    "Plan",
    "PlanOptions",
    "PlannerError",
    "__version__",
    "adapt_plan",
    "build_plan",
    "list_templates",
    "load_template",
    "log_entries",
    "open_store",
    "read_plan",
    "save_plan",
    "to_document",
    "to_ics",
]


def __getattr__(name: str) -> "Any":
    """Import a public name from its module on first use, then keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, as ``dir(planner)`` and editors list them."""
    return sorted(__all__)
