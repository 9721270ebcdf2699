"""Life events of a saved plan end to end: pause, resume, move and skip.

Each is a new revision whose options hold the new pause, move or skipped session; the
plan is rebuilt from the template snapshot its revision keeps, with its adjustments, and
the schedule (a pure function of the options) puts every session on its day. What is done
(logged or skipped) never changes, the doses of the sessions still to come stay as they
were (only their days change), and the safety hold is applied as for every new revision.
Every check runs before anything is saved: a refused command changes nothing.
"""

import datetime as dt
from dataclasses import dataclass

from planner.errors import OptionError
from planner.models.plan import Plan, PlanOptions, PlanPause, Session, SessionMove, SkippedSession
from planner.models.safety import SafetyReport
from planner.plan.pauses import open_pause, retimed, shift_moves
from planner.service import safety_hold
from planner.service.revisions import save
from planner.service.snapshots import saved_template
from planner.service.training import AdaptRun, adapt_plan
from planner.store.database import Store
from planner.training.safety_state import newest


@dataclass(frozen=True, slots=True)
class Changed:
    """What a life event did: the revision saved, the sessions whose day changed (slot,
    from, to), the plan's warnings, and the safety state after it."""

    plan: Plan
    revision: int
    dates: tuple[tuple[str, dt.date, dt.date], ...]
    warnings: tuple[str, ...]
    state: SafetyReport
    adapted: AdaptRun | None = None


def done_slots(store: Store, name: str, plan: Plan) -> set[str]:
    """Sessions that never change again: logged, or recorded as skipped."""
    logged = {e.slot for e in newest(store.entries(name, include_replaced=True))}
    return logged | {s.slot for s in plan.options.skipped}


def _save(store: Store, name: str, options: PlanOptions, today: dt.date) -> Changed:
    """Rebuild the saved plan ``name`` with ``options`` and save it as a new revision."""
    from planner.plan.generate import generate

    revision = store.latest(name)
    snapshot = saved_template(store, name, revision)
    old = revision.plan
    fresh = generate(
        snapshot.template,
        snapshot.program,
        snapshot.library.by_id(),
        options,
        old.adjustments,
    )
    plan = retimed(old, fresh)
    log = safety_hold.diary(store, name)
    plan = safety_hold.held(store, name, snapshot, plan, today, log)
    saved = save(store, name, snapshot, plan, revision.calendar)
    before = {s.slot: s.date for s in old.sessions}
    dates = tuple(
        (s.slot, before[s.slot], s.date)
        for s in saved.plan.sessions
        if s.slot in before and before[s.slot] != s.date
    )
    return Changed(saved.plan, saved.revision, dates, plan.warnings, log.state(plan, today))


def pause_plan(
    store: Store,
    name: str,
    start: dt.date,
    until: dt.date | None,
    note: str | None,
    today: dt.date,
) -> Changed:
    """Pause the saved plan ``name`` from ``start`` (to ``until``, the last day off, if
    known).

    Raises:
        OptionError: a pause stands already, ``until`` is before ``start``, the pause
            overlaps an earlier one, starts on or before a session that is done, or nothing
            is left to pause.
    """
    plan = store.latest(name).plan
    standing = open_pause(plan)
    if standing is not None:
        raise OptionError(
            f"'{name}' is paused already since {standing.start}; end that pause first with "
            f"'planner resume {name}'"
        )
    if until is not None and until < start:
        raise OptionError(f"--until: {until} is before --from {start}; give the last day off")
    for earlier in plan.options.pauses:
        if earlier.end is not None and start < earlier.end:
            raise OptionError(
                f"--from: {start} overlaps the pause from {earlier.start} to "
                f"{earlier.end - dt.timedelta(days=1)}; a new pause starts on {earlier.end} "
                "or later"
            )
    done = done_slots(store, name, plan)
    last_done = max(
        (s for s in plan.sessions if s.slot in done), key=lambda s: s.date, default=None
    )
    if last_done is not None and start <= last_done.date:
        raise OptionError(
            f"--from: {start} is on or before {last_done.slot} ({last_done.date}), which is "
            "done already; a pause starts after the last session done"
        )
    if not any(s.date >= start and s.slot not in done for s in plan.sessions):
        raise OptionError(f"'{name}' has no session left on or after {start}: the plan is over")
    end = None if until is None else until + dt.timedelta(days=1)
    pause = PlanPause(start=start, end=end, note=note)
    moves = plan.options.moves
    if pause.days is not None:
        moves = shift_moves(moves, start, pause.days)
    options = plan.options.model_copy(
        update={"pauses": (*plan.options.pauses, pause), "moves": moves}
    )
    return _save(store, name, options, today)


def resume_plan(store: Store, name: str, on: dt.date, today: dt.date) -> Changed:
    """End the open pause of ``name`` with ``on`` as the first day back, then adapt the
    plan (the step back after a long break comes in at once).

    Raises:
        OptionError: the plan is not paused by the person, or ``on`` is on or before the
            pause's start.
    """
    plan = store.latest(name).plan
    standing = open_pause(plan)
    if standing is None:
        raise OptionError(
            f"'{name}' is not paused; 'planner resume' ends a pause made with 'planner "
            "pause' (a safety stop after red flags lifts only by its own rules)"
        )
    if on <= standing.start:
        raise OptionError(
            f"--on: {on} is on or before the day the pause started ({standing.start}); "
            "give the first day back"
        )
    closed = standing.model_copy(update={"end": on})
    pauses = tuple(closed if p is standing else p for p in plan.options.pauses)
    moves = shift_moves(plan.options.moves, standing.start, (on - standing.start).days)
    options = plan.options.model_copy(update={"pauses": pauses, "moves": moves})
    changed = _save(store, name, options, today)
    run = adapt_plan(store, name, today)
    latest = store.latest(name).plan
    return Changed(
        latest,
        run.revision or changed.revision,
        changed.dates,
        changed.warnings,
        run.result.state,
        run,
    )


def session_of(plan: Plan, slot: str) -> Session:
    """The session named ``slot`` (any case).

    Raises:
        OptionError: no such session (with the closest names).
    """
    wanted = slot.strip().upper()
    for session in plan.sessions:
        if session.slot == wanted:
            return session
    import difflib  # only on the way to an error message

    close = difflib.get_close_matches(wanted, [s.slot for s in plan.sessions], n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    last = plan.sessions[-1].slot
    raise OptionError(f"SESSION: no session '{slot}' in this plan{hint}; W1S1 to {last}")


def _neighbours(plan: Plan, session: Session) -> tuple[Session | None, Session | None]:
    order = sorted(plan.sessions, key=lambda s: (s.week, s.index))
    at = order.index(session)
    return (order[at - 1] if at else None, order[at + 1] if at + 1 < len(order) else None)


def move_session(
    store: Store,
    name: str,
    slot: str,
    to: dt.date,
    force: bool,
    note: str | None,
    today: dt.date,
) -> Changed:
    """Move one session of ``name`` to ``to`` (same slot, so the same calendar event).

    Raises:
        OptionError: unknown session, a session that is done, a day in an open pause, the
            day it is on already, or (without ``force``) a day outside its neighbours'.
    """
    plan = store.latest(name).plan
    session = session_of(plan, slot)
    if session.slot in done_slots(store, name, plan):
        raise OptionError(f"{session.slot} is done already (logged or skipped); it stays as it is")
    if to == session.date:
        raise OptionError(f"--to: {session.slot} is on {to} already; nothing to move")
    standing = open_pause(plan)
    if standing is not None and to >= standing.start:
        raise OptionError(
            f"--to: {to} is in the pause that began {standing.start}; resume first with "
            f"'planner resume {name}', or choose a day before it"
        )
    before, after = _neighbours(plan, session)
    if not force:
        if before is not None and to <= before.date:
            raise OptionError(
                f"--to: {to} is not after {before.slot} ({before.date}); sessions keep their "
                "order (add --force to move it anyway)"
            )
        if after is not None and to >= after.date:
            raise OptionError(
                f"--to: {to} is not before {after.slot} ({after.date}); sessions keep their "
                "order (add --force to move it anyway)"
            )
    others = tuple(m for m in plan.options.moves if m.slot != session.slot)
    rhythm = _day_without_move(store, name, plan, others, session.slot)
    moves = (
        others if rhythm == to else (*others, SessionMove(slot=session.slot, date=to, note=note))
    )
    options = plan.options.model_copy(update={"moves": moves})
    changed = _save(store, name, options, today)
    program = saved_template(store, name, store.latest(name)).program
    advised = {p.name: p.min_hours_between for p in program.phases}
    warnings = _spacing(changed.plan, session.slot, advised)
    return Changed(
        changed.plan,
        changed.revision,
        changed.dates,
        (*changed.warnings, *warnings),
        changed.state,
    )


def _day_without_move(
    store: Store, name: str, plan: Plan, moves: tuple[SessionMove, ...], slot: str
) -> dt.date | None:
    """The day ``slot`` has when the person has not moved it (pauses and days off apply)."""
    from planner.plan.generate import generate

    revision = store.latest(name)
    snapshot = saved_template(store, name, revision)
    options = plan.options.model_copy(update={"moves": moves})
    fresh = generate(
        snapshot.template, snapshot.program, snapshot.library.by_id(), options, plan.adjustments
    )
    return next((s.date for s in fresh.sessions if s.slot == slot), None)


def _spacing(plan: Plan, slot: str, advised: dict[str, int]) -> tuple[str, ...]:
    """A warning when the moved session is closer to a neighbour than its phase advises
    (``advised``: hours by phase, the template's ``min_hours_between``)."""
    session = next(s for s in plan.sessions if s.slot == slot)
    hours = advised.get(session.phase, 0)
    out = []
    for other in _neighbours(plan, session):
        if other is None:
            continue
        gap = abs((session.date - other.date).days) * 24
        if gap < hours:
            out.append(
                f"{slot} on {session.date} is {gap} h from {other.slot} ({other.date}); "
                f"{hours} h is advised between {session.phase} sessions"
            )
    return tuple(out)


def skip_session(store: Store, name: str, slot: str, note: str | None, today: dt.date) -> Changed:
    """Record a session of ``name`` as missed on purpose.

    Raises:
        OptionError: unknown session, logged, or skipped already.
    """
    plan = store.latest(name).plan
    session = session_of(plan, slot)
    if session.slot in {s.slot for s in plan.options.skipped}:
        raise OptionError(f"{session.slot} is recorded as skipped already")
    if session.slot in done_slots(store, name, plan):
        raise OptionError(f"{session.slot} is logged already; a session done is not skipped")
    skipped = SkippedSession(slot=session.slot, on=today, note=note)
    options = plan.options.model_copy(update={"skipped": (*plan.options.skipped, skipped)})
    return _save(store, name, options, today)
