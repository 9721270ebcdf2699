"""The training loop end to end: log, check in, record a clearance, adapt.

Every report is saved first, then the plan is held for safety if it must be: what a person
reports is never lost, even when holding the plan fails.
"""

import datetime as dt
from dataclasses import dataclass

from planner.errors import OptionError
from planner.models.log import Checkin, Clearance, LogEntry
from planner.models.plan import Plan
from planner.service.revisions import save_revision
from planner.service.safety_hold import Guarded, guard, rebuilder
from planner.service.snapshots import saved_template
from planner.store.database import Store
from planner.training.adapt import Adapted


def fitted(
    plan: Plan, entries: list[LogEntry], today: dt.date, extra: bool = False
) -> list[LogEntry]:
    """``entries`` checked against ``plan`` the way ``planner log`` checks them (a session
    on or before ``today``, an exercise of that session, no more sets than prescribed unless
    ``extra``), each dated by its session.

    Raises:
        OptionError: an entry does not fit the plan.
    """
    from planner.training.logbook import find_exercise, find_session

    checked = []
    for entry in entries:
        session = find_session(plan, entry.slot, today)
        rx = find_exercise(session, entry.exercise)
        if len(entry.done) > rx.sets and not extra:
            raise OptionError(
                f"{entry.slot} {entry.exercise}: {len(entry.done)} sets logged but "
                f"{rx.sets} prescribed; pass extra=True if they were really done"
            )
        checked.append(
            entry if entry.date == session.date else entry.model_copy(update={"date": session.date})
        )
    return checked


def log_entries(
    store: Store, name: str, entries: list[LogEntry], today: dt.date, extra: bool = False
) -> tuple[list[LogEntry | None], Guarded]:
    """Log ``entries`` for the saved plan ``name`` once each fits the plan (see
    :func:`fitted`); returns the entries they replaced (None where new) and the safety
    state after them (with the revision that holds the plan).

    Raises:
        OptionError: an entry does not fit the plan; nothing is logged then.
    """
    entries = fitted(store.latest(name).plan, entries, today, extra)
    replaced = store.log(name, entries)
    return replaced, guard(store, name, today)


def record_checkin(
    store: Store, name: str, checkin: Checkin, today: dt.date
) -> tuple[list[Checkin], Guarded]:
    """Record a morning check-in; returns the earlier ones of that day and the state."""
    earlier = store.checkin(name, checkin)
    return earlier, guard(store, name, today)


def record_clearance(store: Store, name: str, clearance: Clearance, today: dt.date) -> Guarded:
    """Record a clinician's clearance (or go-ahead for the next phase); returns the state."""
    store.clear(name, clearance)
    return guard(store, name, today)


@dataclass(frozen=True, slots=True)
class AdaptRun:
    """What adapt decided, and the revision it saved (None: nothing saved)."""

    result: Adapted
    revision: int | None


def adapt_plan(store: Store, name: str, today: dt.date, dry_run: bool = False) -> AdaptRun:
    """Adjust the weeks ahead of the saved plan ``name`` to its log, as of ``today``, and
    save the result as a revision unless ``dry_run``."""
    from planner.training.adapt import adapt

    revision = store.latest(name)
    paused = _paused(store, name, revision.plan, today, dry_run)
    if paused is not None:
        return paused
    snapshot = saved_template(store, name, revision)
    build = rebuilder(snapshot, revision.plan)
    result = adapt(
        revision.plan,
        build.regenerate,
        store.entries(name, include_replaced=True),
        store.checkins(name),
        store.clearances(name),
        build.library,
        build.settings,
        today,
    )
    number = None
    if result.changed and not dry_run:
        number, _ = save_revision(
            store,
            name,
            revision.template,
            result.plan,
            revision.calendar,
            adapt_reason(result),
            snapshot=snapshot,
        )
    return AdaptRun(result, number)


def _paused(store: Store, name: str, plan: Plan, today: dt.date, dry_run: bool) -> AdaptRun | None:
    """While the person's own pause stands, no week is decided: its sessions are waiting,
    not missed. Only the safety hold applies (None: the plan is not paused)."""
    from planner.training.adapt import Adapted

    standing = next((p for p in plan.options.pauses if p.end is None), None)
    if standing is None:
        return None
    guarded = guard(store, name, today, save=not dry_run)
    held = guarded.plan or plan
    info = (
        f"'{name}' is paused since {standing.start}: no week is decided while it stands; "
        f"run 'planner resume {name}' first, then adapt",
    )
    result = Adapted(held, None, (), (), (), info, held != plan, guarded.state)
    return AdaptRun(result, guarded.revision)


def adapt_reason(result: Adapted) -> str:
    """The revision's reason: ``adapted from the log for week 3: 2 progress, 1 hold``."""
    kinds: dict[str, int] = {}
    for a in result.decided:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
    return f"adapted from the log for week {result.week}: {summary or 'no decisions'}"
