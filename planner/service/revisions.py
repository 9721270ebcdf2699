"""Revisions of a saved plan: the one path by which every revision is saved.

``generate --name``, the safety hold and ``adapt`` all save through :func:`save_revision`,
so what a revision holds is decided in one place: the plan, its calendar options, why it
was saved, and a snapshot of the template it was built from.
"""

from collections.abc import Set
from dataclasses import dataclass

from planner.models.calendar import CalendarOptions
from planner.models.plan import Plan
from planner.models.snapshot import TemplateSnapshot
from planner.store.database import Revision, Store


def save_revision(
    store: Store,
    name: str,
    template: str,
    plan: Plan,
    calendar: CalendarOptions,
    reason: str,
    *,
    snapshot: TemplateSnapshot | None,
) -> tuple[int, bool]:
    """Save ``plan`` as the next revision of ``name`` unless it equals the latest one;
    returns the revision number and whether it is new.

    ``snapshot`` is the template ``plan`` was built from, kept so the revision can be
    rebuilt exactly; ``None`` only for a revision from an older store that kept none.
    """
    return store.save(name, template, plan, calendar, reason, snapshot)


@dataclass(frozen=True, slots=True)
class Saved:
    """Outcome of saving: the stored plan (with its lasting id) and its revision."""

    plan: Plan
    revision: int
    new: bool


@dataclass(frozen=True, slots=True)
class Pending:
    """A revision as it will be saved: the plan with its lasting id, the calendar options
    merged with the saved ones, and why it is saved. Known before anything is written, so
    its files can be rendered and staged first."""

    plan: Plan
    calendar: CalendarOptions
    reason: str


def pending(
    store: Store,
    name: str,
    snapshot: TemplateSnapshot,
    plan: Plan,
    calendar: CalendarOptions,
    given: Set[str] = frozenset(),
) -> Pending:
    """What :func:`save` will save for ``plan`` under ``name``; nothing is written.

    A new plan gets an id of its own (see :func:`own_id`). Later revisions keep the first
    revision's plan id, so their sessions keep their UIDs
    and update the same calendar events. Calendar options not in ``given`` keep the values
    the previous revision had.
    """
    lasting = store.plan_id(name)
    if lasting is None:
        return Pending(own_id(store, name, plan), calendar, "first version")
    previous = store.latest(name)
    calendar = previous.calendar.merged(calendar, set(given))
    if lasting != plan.id:
        plan = plan.model_copy(update={"id": lasting})
    return Pending(plan, calendar, describe_change(previous, snapshot, plan, calendar))


def own_id(store: Store, name: str, plan: Plan) -> Plan:
    """``plan`` with an id no other saved plan has: made from its template, start and
    ``name``, so two people started on one template on one day get different UIDs and
    publishing one never touches the other's events."""
    from planner.plan.generate import plan_id

    unique = plan_id(plan.template, plan.options, f"name:{name}", store.plan_ids())
    return plan.model_copy(update={"id": unique})


def save_pending(store: Store, name: str, snapshot: TemplateSnapshot, ready: Pending) -> Saved:
    """Save ``ready`` (from :func:`pending`) as a new revision of ``name`` if anything
    changed."""
    number, new = save_revision(
        store,
        name,
        snapshot.template,
        ready.plan,
        ready.calendar,
        ready.reason,
        snapshot=snapshot,
    )
    return Saved(ready.plan, number, new)


def save(
    store: Store,
    name: str,
    snapshot: TemplateSnapshot,
    plan: Plan,
    calendar: CalendarOptions,
    given: Set[str] = frozenset(),
) -> Saved:
    """Save ``plan``, built from ``snapshot``, under ``name`` as a new revision if anything
    changed (see :func:`pending`)."""
    return save_pending(
        store, name, snapshot, pending(store, name, snapshot, plan, calendar, given)
    )


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value)) or "none"
    return "-" if value is None else str(value)


def describe_change(
    previous: Revision, snapshot: TemplateSnapshot, plan: Plan, calendar: CalendarOptions
) -> str:
    """``days: mon,wed,fri -> tue,thu,sat`` style summary of what a new revision changes."""
    changes = []
    template = snapshot.template
    if previous.template != template:
        changes.append(f"template: {previous.template} -> {template}")
    elif previous.snapshot is None:
        changes.append(f"template {template} now kept with the plan")
    elif previous.snapshot != snapshot.digest():
        changes.append(f"template updated: {template}")
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
