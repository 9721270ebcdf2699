"""One exception hierarchy for every failure a user can fix.

The CLI catches :class:`PlannerError` once, prints ``error: <message>`` and exits 1.
Anything else is a bug and keeps its traceback.
"""


class PlannerError(Exception):
    """A problem the user can fix; the message says what, where and how."""


class TemplateError(PlannerError):
    """A template or exercise library file is missing, malformed or inconsistent."""


class OptionError(PlannerError):
    """A command-line option has a value the planner cannot use."""


class ScheduleError(PlannerError):
    """The requested days and dates cannot hold the plan's sessions."""


class OutputError(PlannerError):
    """An output file cannot be written where the user asked."""


class PlanFileError(PlannerError):
    """A saved plan file cannot be read back."""


class StoreError(PlannerError):
    """The plan store cannot be opened or does not hold what was asked for."""


class PublishError(PlannerError):
    """A CalDAV server cannot be reached or refused what was sent."""
