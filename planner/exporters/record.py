"""What has been logged against a plan, as the documents show it (pure data)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planner.models.log import Checkin, Clearance, LogEntry
from planner.models.safety import SafetyReport


@dataclass(frozen=True, slots=True)
class Record:
    """The log of a saved plan for a printout or export.

    ``entries`` are the log entries that count (they fill in what was done; without them
    a printout has empty boxes to fill in by hand), ``checkins`` every morning check-in
    (several a day allowed), ``clearances`` every clinician clearance, ``state`` the
    safety state on the day of the export (None for a plan file without a log: no safety
    status is shown), ``name`` the saved plan's name, to spell out ``planner clear`` (None
    for a plan file: its JSON export is then the bare plan again, not the export
    envelope), ``revision`` the revision exported and ``as_of`` the day of the export.
    """

    entries: Sequence[LogEntry] = ()
    checkins: Sequence[Checkin] = ()
    clearances: Sequence[Clearance] = ()
    state: SafetyReport | None = None
    name: str | None = None
    revision: int | None = None
    as_of: dt.date | None = None


NO_RECORD = Record()
