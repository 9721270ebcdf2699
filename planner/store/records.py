"""What the plan store hands back: saved plans as listed, revisions, publishing memory."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.models.calendar import CalendarOptions
    from planner.models.plan import Plan


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """One saved plan as listed: name, latest revision and what it covers."""

    name: str
    revisions: int
    template: str
    title: str
    sessions: int
    first: dt.date
    last: dt.date
    updated: dt.datetime


@dataclass(frozen=True, slots=True)
class Revision:
    """One saved version of a plan.

    ``snapshot`` is the digest of the template it was built from (read it with
    :meth:`Store.snapshot`); ``None`` for a revision from an older store whose template was
    a person's own file, so no copy of it could be made.
    """

    number: int
    created: dt.datetime
    template: str
    reason: str
    plan: "Plan"
    calendar: "CalendarOptions"
    snapshot: str | None = None


@dataclass(frozen=True, slots=True)
class Published:
    """What this store put on a CalDAV collection for one UID."""

    href: str
    digest: str
    etag: str | None
