"""A saved plan's calendar end to end: export it with event versions, publish it.

Glue between the pure exporter code and the two edges that keep state (the store and the
CalDAV server). No printing: the CLI reports what these functions return.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.caldav import Counts, Target
from planner.caldav.colors import css_hex
from planner.errors import OptionError, StoreError
from planner.exporters.event_versions import Versions, next_versions
from planner.exporters.ics import IcsResult, PlanEvents, plan_events, render_calendar
from planner.fileio import Staged
from planner.models.calendar import CalendarOptions
from planner.models.plan import Plan
from planner.models.safety import SafetyReport
from planner.service.stores import saved_store
from planner.store.database import Published, Revision, Store

if TYPE_CHECKING:
    from planner.service.safety_hold import Guarded


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
    plan: Plan | None = None,
) -> Prepared:
    """Lay out the latest revision of ``name`` and version its events against the last
    export. ``given`` names the calendar options in ``override`` that replace the saved ones;
    ``plan`` stands in for the revision's plan (held for safety but not saved).
    """
    revision = store.latest(name)
    if plan is not None and plan != revision.plan:
        revision = dataclasses.replace(revision, plan=plan)
    calendar = revision.calendar.merged(override, set(given)) if override else revision.calendar
    events, versions = lay_out(store, name, revision.plan, calendar, now)
    return Prepared(revision, events, versions)


def lay_out(
    store: Store, name: str, plan: Plan, calendar: CalendarOptions, now: dt.datetime
) -> tuple[PlanEvents, Versions]:
    """``plan`` as events, versioned against the last export of ``name`` (none for a plan
    not saved yet); event titles start with ``name`` unless the calendar has a title."""
    events = plan_events(plan, calendar, name)
    exported = store.exported(name) if store.plan_id(name) is not None else {}
    return events, next_versions(exported, events.digests, now)


def stage_ics(events: PlanEvents, versions: Versions, staged: Staged, out: Path) -> IcsResult:
    """Render the calendar and stage it for ``out``; the caller records the versions in
    the store (:meth:`Store.record_export`) before it commits ``staged``, so the file
    changes only once its export memory is saved."""
    result = render_calendar(events, versions.states)
    staged.write(out, result.data)
    return result


class _StoreLedger:
    """Publishing memory kept in the store, per plan and collection."""

    def __init__(self, store: Store, name: str) -> None:
        self.store, self.name = store, name

    def load(self, collection: str) -> dict[str, Published]:
        return self.store.published(self.name, collection)

    def remember(self, collection: str, uid: str, entry: Published | None) -> None:
        self.store.record_published(self.name, collection, uid, entry)

    def rename(self, old: str, new: str) -> None:
        self.store.rename_published(self.name, old, new)


def publish(store: Store, name: str, prepared: Prepared, target: Target) -> Counts:
    """Put every session of ``name`` on the CalDAV target; see :func:`planner.caldav.publish`."""
    from planner.caldav import publish as sync
    from planner.exporters.ics import render_objects

    store.record_export(name, prepared.versions.touched_states)
    objects = render_objects(prepared.events, prepared.versions.states)
    return sync(target, objects, owned_by(prepared.revision.plan.id), _StoreLedger(store, name))


def owned_by(plan_id: str) -> Callable[[str], bool]:
    """Whether a UID is one of the sessions of plan ``plan_id`` (as :func:`event_uid` makes
    them): only those may be deleted when the plan drops them, never an event that merely
    starts the same way."""
    import re

    mine = re.compile(rf"{re.escape(plan_id)}-w[0-9]+s[0-9]+@planner")
    return lambda uid: mine.fullmatch(uid) is not None


def _check_can_record(store: Store) -> None:
    """Refuse to publish from a store that can only be read, before a password is asked
    or the server is reached.

    Raises:
        StoreError: the store cannot be written. Publishing must remember what it put on
            the server: without that, the next publish would create the same events again
            or delete ones it does not know it made.
    """
    if store.read_only is not None:
        raise StoreError(
            f"{store.path}: the plan store cannot be written ({store.read_only}) and "
            "publish must record what it puts on the server; make the file and its folder "
            "writable, then publish again"
        )


def check_utc(prepared: Prepared) -> None:
    """Refuse UTC times for a plan of all-day sessions.

    Raises:
        OptionError: the plan has no session times.
    """
    if prepared.events.calendar.utc and prepared.revision.plan.options.time is None:
        raise OptionError("--utc only applies to timed sessions; this plan has all-day sessions")


@dataclass(frozen=True, slots=True)
class CalendarExport:
    """What an export or a publish did, and the safety state to report after it."""

    prepared: Prepared
    warnings: tuple[str, ...]
    state: SafetyReport
    counts: Counts | None = None
    title: str = ""
    guarded: "Guarded | None" = None


def export_calendar(
    db: Path | None,
    name: str,
    out: Path,
    stamp: dt.datetime,
    today: dt.date,
    calendar: CalendarOptions,
    given: frozenset[str],
) -> CalendarExport:
    """Write the saved plan ``name`` as an .ics file: only sessions that changed since the
    last export get a higher SEQUENCE. ``given`` names the options in ``calendar`` that
    replace the saved ones for this export."""
    from planner.service.safety_hold import guard

    with saved_store(db, name) as store, Staged() as staged:
        # Held first (saved as a revision where the store can be written): a red flag may
        # have come with time alone. Read before anything is written: a log that cannot be
        # read refuses the export.
        guarded = guard(store, name, today, save=store.read_only is None)
        prepared = prepare(store, name, stamp, calendar, given, guarded.plan)
        check_utc(prepared)
        state = guarded.state
        ics = stage_ics(prepared.events, prepared.versions, staged, out)
        # One write, so one transaction: no batch needed. The file is renamed after it.
        store.record_export(name, prepared.versions.touched_states)
        recorded = store.read_only is None
        staged.commit(
            f"the export memory of '{name}' is saved already; run the export again to "
            "write the file"
            if recorded
            else ""
        )
        warnings = ics.warnings if recorded else (*ics.warnings, _unrecorded(store))
        warnings = (*warnings, *_shared_id(store, name))
    return CalendarExport(prepared, warnings, state, guarded=guarded)


def _shared_id(store: Store, name: str) -> tuple[str, ...]:
    """A warning when older saved plans share this plan's id, so their events share UIDs:
    made before ids were unique per plan, and kept since (changing them would duplicate
    every event in calendars that hold them)."""
    others = store.sharing_id(name)
    if not others:
        return ()
    listed = ", ".join(f"'{other}'" for other in others)
    return (
        f"'{name}' has the same calendar event ids as {listed} (saved by an older version): "
        "in one calendar they overwrite each other, so give each its own calendar "
        "(--calendar-name), or save one again under a new name",
    )


def _unrecorded(store: Store) -> str:
    """The warning for an export from a store that can only be read: the file is written
    (an export is a read of the plan), but its event versions are not remembered."""
    return (
        f"{store.path} cannot be written ({store.read_only}): this export was not "
        "recorded, so a later change may reach calendars with the SEQUENCE this file "
        "already used and be ignored; export again once the store is writable"
    )


def publish_plan(
    db: Path | None,
    name: str,
    url: str,
    username: str | None,
    password: Callable[[], str | None],
    allow_http: bool,
    stamp: dt.datetime,
    today: dt.date,
    calendar: CalendarOptions,
    given: frozenset[str],
) -> CalendarExport:
    """Put the saved plan ``name`` on the CalDAV calendar at ``url``: create, update and
    delete only what changed. ``password`` is asked only once the plan is known to exist."""
    from planner.service.safety_hold import guard

    with saved_store(db, name) as store:
        store.latest(name)  # an unknown plan is named before the store's permissions
        _check_can_record(store)
        # Held first, as for an export; read before publishing: a log that cannot be read
        # refuses the publish whole.
        guarded = guard(store, name, today)
        prepared = prepare(store, name, stamp, calendar, given)
        check_utc(prepared)
        state = guarded.state
        title = prepared.events.calendar.name or prepared.revision.plan.title
        color = prepared.events.calendar.color
        target = Target(url, username, password(), title, allow_http, css_hex(color))
        counts = publish(store, name, prepared, target)
        warnings = (*prepared.events.warnings, *_shared_id(store, name))
    return CalendarExport(prepared, warnings, state, counts, title, guarded)
