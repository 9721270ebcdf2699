"""Safety for a saved plan end to end: its safety state from the store, and, while red flags
stand, the plan held and saved as a new revision the moment they are reported.

Glue between the pure safety code (:mod:`planner.training.safety_state`,
:mod:`planner.training.adapt`) and the store. A plan is rebuilt from the template snapshot
its revision keeps, never from the template files. No printing: the CLI reports what these
functions return.
"""

import datetime as dt
from dataclasses import dataclass

from planner.errors import PlannerError
from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.exercise import Exercise
from planner.models.log import Checkin, Clearance, Logged
from planner.models.plan import Plan
from planner.models.safety import SafetyReport
from planner.models.snapshot import TemplateSnapshot
from planner.service.snapshots import saved_template
from planner.store.database import Store
from planner.training.adapt import hold_for_safety
from planner.training.pause import first_undecided_week, hold, keep_held, merge, resume_cap
from planner.training.safety_state import newest, safety_state
from planner.training.week_inputs import Regenerate


@dataclass(frozen=True, slots=True)
class Rebuilder:
    """What it takes to rebuild a saved plan: its template, library and thresholds."""

    regenerate: Regenerate
    library: dict[str, Exercise]
    settings: AdaptSettings


def rebuilder(snapshot: TemplateSnapshot, plan: Plan) -> Rebuilder:
    """Rebuild ``plan`` (its options) from the template ``snapshot`` it was built from, with
    other adjustments."""
    from planner.plan.generate import generate

    options = plan.options
    by_id = snapshot.library.by_id()

    def regenerate(adjustments: tuple[Adjustment, ...]) -> Plan:
        return generate(snapshot.template, snapshot.program, by_id, options, adjustments)

    return Rebuilder(regenerate, by_id, snapshot.program.adapt)


@dataclass(frozen=True, slots=True)
class Diary:
    """Everything a saved plan's person has reported, read from the store once."""

    log: list[Logged]
    checkins: list[Checkin]
    clearances: list[Clearance]

    def state(self, plan: Plan, today: dt.date) -> SafetyReport:
        """The safety state this diary gives ``plan`` on ``today``."""
        return safety_state(plan, self.log, self.checkins, self.clearances, plan.rules, today)


def diary(store: Store, name: str) -> Diary:
    """The whole log of ``name``: every entry (replaced ones too), check-in and clearance."""
    return Diary(
        store.entries(name, include_replaced=True), store.checkins(name), store.clearances(name)
    )


def state_of(store: Store, name: str, plan: Plan, today: dt.date) -> SafetyReport:
    """The safety state of the saved plan ``name`` (``plan`` dates its log)."""
    return diary(store, name).state(plan, today)


def carried(store: Store, name: str, plan: Plan, today: dt.date, log: Diary) -> Plan:
    """A new revision ``plan`` of the saved plan ``name`` with what is done kept as it was:
    once something is logged, the sessions logged and the weeks that are over keep their
    dates and doses whatever options change (so the log, its red flags and the mornings
    after them stay on the days they happened). A new start date rebuilds everything."""
    saved = store.latest(name).plan
    entries = newest(log.log)
    if not entries or saved.options.start != plan.options.start:
        return plan
    kept = merge(saved, plan, entries, today)
    # Sessions held by a pause that has lifted since stay so until adapt decides the next
    # week: new options do not release them mid-week.
    until = first_undecided_week(saved, entries, today) or saved.weeks + 1
    # Nor does the first week after a pause ask for more than was done while held.
    return resume_cap(keep_held(saved, kept, entries, today, until), entries, today)


def held(
    store: Store, name: str, snapshot: TemplateSnapshot, plan: Plan, today: dt.date, log: Diary
) -> Plan:
    """``plan`` (a revision about to be saved, or the latest one, built from ``snapshot``)
    held for the safety state: unchanged while no red flag stands."""
    if not log.state(plan, today).paused:
        return plan
    build = rebuilder(snapshot, plan)
    result, _ = hold_for_safety(
        plan,
        build.regenerate,
        log.log,
        log.checkins,
        log.clearances,
        plan.rules,
        today,
        previous=store.latest(name).plan if store.plan_id(name) is not None else None,
    )
    return result


@dataclass(frozen=True, slots=True)
class Guarded:
    """The safety state after a report, the revision that holds the plan (if saved), and
    ``plan``: the plan as it stands now (held, or the latest revision as it is)."""

    state: SafetyReport
    revision: int | None
    problem: str | None
    plan: Plan | None = None


def guard(store: Store, name: str, today: dt.date, *, save: bool = True) -> Guarded:
    """After the person reported something, or before the plan goes out (export, publish,
    a printout): the state, and the plan held if it must be.

    Not every red flag is reported: pain that has not eased after weeks becomes one as
    time passes, with no command run. So whatever puts the plan in front of the person
    holds it first. With ``save`` false (a store that can only be read) the held plan is
    returned, not saved.

    A plan that cannot be rebuilt (an older store kept no copy of the person's own
    template) does not undo what was reported: it is stored already and the state stands.
    The sessions still to come are then held as they are (no rebuild, so a phase that has
    not begun cannot be put off), and ``problem`` says so.
    """
    revision = store.latest(name)
    log = diary(store, name)
    state = log.state(revision.plan, today)
    if not state.paused:
        return Guarded(state, None, None, revision.plan)
    problem = None
    snapshot: TemplateSnapshot | None = None
    try:
        snapshot = saved_template(store, name, revision)
        plan = held(store, name, snapshot, revision.plan, today, log)
    except PlannerError as exc:
        plan = hold(
            revision.plan,
            state,
            newest(log.log),
            revision.plan.rules,
            today,
            replaced=[item.entry for item in log.log if item.replaced],
            checkins=log.checkins,
            previous=revision.plan,
        )
        problem = (
            f"{exc}; the sessions still to come are held at what you last managed, but the "
            "plan cannot be rebuilt, so a new phase in them is not put off"
        )
    if plan == revision.plan or not save:
        return Guarded(state, None, problem, plan)
    from planner.service.revisions import save_revision

    number, _ = save_revision(
        store,
        name,
        revision.template,
        plan,
        revision.calendar,
        "held for safety: red flags reported",
        snapshot=snapshot,
    )
    return Guarded(state, number, problem, plan)
