"""Saved plans end to end: save a revision, export it with versions, publish it.

Glue between the pure exporter/versioning code and the two edges that keep state (the
store and the CalDAV server). No printing: the CLI reports what these functions return.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from planner.exporters.ics import IcsResult, PlanEvents, plan_events, render_calendar
from planner.models.calendar import CalendarOptions
from planner.models.plan import Plan
from planner.publish import Counts, Target
from planner.store import Published, Revision, Store
from planner.versioning import Versions, advance


@dataclass(frozen=True, slots=True)
class Saved:
    """Outcome of saving: the stored plan (with its lasting id) and its revision."""

    plan: Plan
    revision: int
    new: bool


def save(
    store: Store,
    name: str,
    template: str,
    plan: Plan,
    calendar: CalendarOptions,
    given: set[str] | frozenset[str] = frozenset(),
) -> Saved:
    """Save ``plan`` under ``name`` as a new revision if anything changed.

    Later revisions keep the first revision's plan id, so their sessions keep their UIDs
    and update the same calendar events. Calendar options not in ``given`` keep the values
    the previous revision had.
    """
    lasting = store.plan_id(name)
    reason = "first version"
    if lasting is not None:
        previous = store.latest(name)
        calendar = previous.calendar.merged(calendar, set(given))
        if lasting != plan.id:
            plan = plan.model_copy(update={"id": lasting})
        reason = describe_change(previous, template, plan, calendar)
    number, new = store.save(name, template, plan, calendar, reason)
    return Saved(plan, number, new)


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value)) or "none"
    return "-" if value is None else str(value)


def describe_change(
    previous: Revision, template: str, plan: Plan, calendar: CalendarOptions
) -> str:
    """``days: mon,wed,fri -> tue,thu,sat`` style summary of what a new revision changes."""
    changes = []
    if previous.template != template:
        changes.append(f"template: {previous.template} -> {template}")
    for label, before, after in (
        ("", previous.plan.options, plan.options),
        ("calendar ", previous.calendar, calendar),
    ):
        for field in type(after).model_fields:
            old, new = getattr(before, field), getattr(after, field)
            if old != new:
                changes.append(f"{label}{field}: {_value(old)} -> {_value(new)}")
    if not changes and previous.plan != plan:
        changes.append("template content changed")
    return "; ".join(changes)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A saved plan laid out as events, with the versions this export gives them."""

    revision: Revision
    events: PlanEvents
    versions: Versions


def prepare(
    store: Store,
    name: str,
    now: dt.datetime,
    override: CalendarOptions | None = None,
    given: frozenset[str] = frozenset(),
) -> Prepared:
    """Lay out the latest revision of ``name`` and version its events against the last
    export. ``given`` names the calendar options in ``override`` that replace the saved ones.
    """
    revision = store.latest(name)
    calendar = revision.calendar.merged(override, set(given)) if override else revision.calendar
    events = plan_events(revision.plan, calendar)
    versions = advance(store.exported(name), events.digests, now)
    return Prepared(revision, events, versions)


def export_ics(
    store: Store, name: str, prepared: Prepared, write: Callable[[bytes], None]
) -> IcsResult:
    """Render the calendar and hand it to ``write`` inside the store transaction that
    records the new versions: if writing fails, the export memory stays as it was."""
    result = render_calendar(prepared.events, prepared.versions.states)
    store.record_export(name, prepared.versions.touched_states, lambda: write(result.data))
    return result


class _StoreLedger:
    """Publishing memory kept in the store, per plan and collection."""

    def __init__(self, store: Store, name: str) -> None:
        self.store, self.name = store, name

    def load(self, collection: str) -> dict[str, Published]:
        return self.store.published(self.name, collection)

    def remember(self, collection: str, uid: str, entry: Published | None) -> None:
        self.store.record_published(self.name, collection, uid, entry)


def publish(store: Store, name: str, prepared: Prepared, target: Target) -> Counts:
    """Put every session of ``name`` on the CalDAV target; see :func:`planner.publish.publish`."""
    from planner.exporters.ics import render_objects
    from planner.publish import publish as sync

    store.record_export(name, prepared.versions.touched_states)
    objects = render_objects(prepared.events, prepared.versions.states)
    prefix = f"{prepared.revision.plan.id}-"
    return sync(target, objects, lambda uid: uid.startswith(prefix), _StoreLedger(store, name))
