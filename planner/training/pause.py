"""While progression is paused by red flags (pure): which sessions may still change, the
most each exercise may ask for, and the plan with those sessions held to it.

"Held" means that no exercise in a session not yet done asks for more than the person last
managed without trouble: not more sets, reps, steps or seconds, not a heavier band, not more
load. The generator already stops the climb and keeps the phase in progress going (see
:mod:`planner.plan.adjustments`); holding is the last word on every session, so a pin, the return
from a deload week or anything else that would add to a dose cannot slip through.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from planner.errors import OptionError
from planner.models.adapt import AdaptSettings
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.models.safety import SafetyReport
from planner.training.evidence import band_rank, managed, mornings_of, worst_mornings
from planner.training.logbook import amount_of
from planner.wording.plan import day_text, dose_text
from planner.wording.safety import clean_week_words

# Why a held exercise asks for less than the plan had, by where its ceiling comes from.
HELD_NOTES = {
    "managed": "Held at what you last managed without trouble (the plan had {planned}).",
    "hurt": "Held one set below what hurt when you last did it (the plan had {planned}).",
    "unlogged": "Held at this dose while the safety stop stands (the plan had {planned}).",
}


# Why an exercise asks for less than the plan had in the first week after a pause.
RESUME_NOTE = (
    "The first week after the safety stop: no more than while held ({held}; the plan had "
    "{planned})."
)


class Ceiling(NamedTuple):
    """The most an exercise may ask for while paused, and where that comes from:
    ``managed`` (what was last done without trouble), ``hurt`` (one set below what hurt)
    or ``unlogged`` (never logged: its current dose)."""

    dose: Prescription
    why: str


def weeks_over(plan: Plan, today: dt.date) -> set[int]:
    """Plan weeks whose every session is dated before today."""
    latest: dict[int, dt.date] = {}
    for s in plan.sessions:
        latest[s.week] = max(s.date, latest.get(s.week, s.date))
    return {week for week, last in latest.items() if last < today}


def open_slots(plan: Plan, entries: Iterable[LogEntry], today: dt.date) -> set[str]:
    """Sessions that may still change: not logged, and in a week that is not over."""
    logged = {e.slot for e in entries}
    over = weeks_over(plan, today)
    return {s.slot for s in plan.sessions if s.slot not in logged and s.week not in over}


def first_open_week(plan: Plan, entries: Iterable[LogEntry], today: dt.date) -> int | None:
    """The week of the first session that may still change (None: the plan is over)."""
    slots = open_slots(plan, entries, today)
    return min((s.week for s in plan.sessions if s.slot in slots), default=None)


def first_undecided_week(plan: Plan, entries: list[LogEntry], today: dt.date) -> int | None:
    """The first week after every session that is done (logged) or dated before today."""
    logged = {e.slot for e in entries}
    past = [s.week for s in plan.sessions if s.date < today or s.slot in logged]
    week = max(past, default=0) + 1
    return week if week <= plan.weeks else None


def keep_held(
    old: Plan, fresh: Plan, entries: Iterable[LogEntry], today: dt.date, until: int
) -> Plan:
    """``fresh`` with the sessions ``old`` held (while a pause stood) and that may still
    change kept as they were up to week ``until``: once a pause lifts, the climb starts
    again from the week being decided, not in the middle of a week."""
    entries = list(entries)
    still = open_slots(old, entries, today)
    held = {s.slot: s for s in old.sessions if s.paused and s.week < until and s.slot in still}

    def same(a: Session, b: Session) -> bool:
        return [rx.exercise for rx in a.exercises] == [rx.exercise for rx in b.exercises]

    # Only where the session still has the same exercises: new options (a pain flag) that
    # take an exercise out win over keeping its held dose.
    sessions = tuple(
        held[s.slot] if s.slot in held and same(held[s.slot], s) else s for s in fresh.sessions
    )
    return fresh.model_copy(update={"sessions": sessions})


def held_doses(plan: Plan, week: int) -> dict[str, Prescription]:
    """What each exercise asked for in its latest session held by a pause before ``week``
    (a deload week aside: it is lighter on purpose; an exercise held only in deload weeks
    gets its deload dose), by exercise."""
    found: dict[str, tuple[bool, Prescription]] = {}
    for session in sorted(plan.sessions, key=lambda s: (s.week, s.index)):
        if not session.paused or session.week >= week:
            continue
        for rx in session.exercises:
            before = found.get(rx.exercise)
            if before is None or not before[0] or not session.deload:
                found[rx.exercise] = (not session.deload, rx)
    return {name: rx for name, (_, rx) in found.items()}


def resume_cap(plan: Plan, entries: Iterable[LogEntry], today: dt.date) -> Plan:
    """``plan`` with the sessions still to come in the week its latest pause was lifted
    for (its ``resume``) asking, exercise by exercise, for no more than in the latest
    session the pause held (see :func:`held_doses`).

    Keyed by exercise, not by entry: the week back may start the next phase (its entries
    are new ones, in another order) or new options may have put an exercise in another
    place, and neither may ask for more than was done while held. An exercise the pause
    never held has nothing to compare with and keeps its dose.
    """
    resumes = [a.week for a in plan.adjustments if a.kind == "resume"]
    if not resumes:
        return plan
    week = max(resumes)
    limits = held_doses(plan, week)
    if not limits:
        return plan
    ladder = plan.band_ladder()
    still = open_slots(plan, entries, today)
    sessions: list[Session] = []
    for session in plan.sessions:
        if session.week != week or session.slot not in still:
            sessions.append(session)
            continue
        exercises = []
        for rx in session.exercises:
            ceiling = limits.get(rx.exercise)
            if ceiling is None:
                exercises.append(rx)
                continue
            note = RESUME_NOTE.format(held=dose_text(ceiling), planned="{planned}")
            exercises.append(_noted(rx, cap(rx, ceiling, ladder), note))
        sessions.append(session.model_copy(update={"exercises": tuple(exercises)}))
    return plan.model_copy(update={"sessions": tuple(sessions)})


def current_phase(plan: Plan, entries: Iterable[LogEntry], today: dt.date) -> str:
    """The phase the person is in: that of the latest session logged or in a week that is
    over (a phase has not begun for someone who has neither logged it nor lived through a
    week of it); the plan's first phase before that."""
    logged = {e.slot for e in entries}
    over = weeks_over(plan, today)
    done = [s for s in plan.sessions if s.slot in logged or s.week in over]
    return done[-1].phase if done else plan.sessions[0].phase


def merge(old: Plan, fresh: Plan, entries: Iterable[LogEntry], today: dt.date) -> Plan:
    """``fresh`` with every session of ``old`` that may not change any more (logged, or in a
    week that is over) copied over unchanged."""
    entries = list(entries)
    still = open_slots(old, entries, today)
    kept = {s.slot: s for s in old.sessions if s.slot not in still}
    beyond = max((s.week for s in kept.values()), default=0)
    if beyond > fresh.weeks:
        # A done session is never dropped, and a plan cannot hold a week past its end:
        # saved anyway, it would be a revision no command could read again.
        raise OptionError(
            f"--weeks: week {beyond} is logged or over already, so the plan cannot end "
            f"before it; give --weeks {beyond} or more"
        )
    sessions = [kept.pop(s.slot, s) for s in fresh.sessions]
    sessions += kept.values()  # done sessions the fresh plan no longer has: never dropped
    sessions.sort(key=lambda s: (s.week, s.index))
    return fresh.model_copy(update={"id": old.id, "sessions": tuple(sessions)})


def cap(rx: Prescription, ceiling: Prescription, ladder: tuple[str, ...]) -> Prescription:
    """``rx`` lowered, part by part, to no more than ``ceiling`` (same exercise); a hold
    that has to be shorter is whole 5 seconds."""
    amount = min(amount_of(rx), max(1, amount_of(ceiling)))
    if rx.seconds is not None and amount < rx.seconds:
        amount = max(5, amount // 5 * 5)
    load = rx.load
    if load is not None:
        load = None if ceiling.load is None else min(load, ceiling.load)
    band = rx.band
    if band is not None and ceiling.band is not None:
        band = min(band, ceiling.band, key=lambda b: band_rank(b, ladder))
    return rx.model_copy(
        update={
            "sets": min(rx.sets, ceiling.sets),
            "reps": amount if rx.reps is not None else None,
            "steps": amount if rx.steps is not None else None,
            "seconds": amount if rx.seconds is not None else None,
            "load": load,
            "unit": rx.unit if load is not None else None,
            "band": band,
            # A tempo the template changes for a later week (a longer lowering, say) is
            # harder work: held, the person keeps the tempo they did.
            "tempo": ceiling.tempo,
        }
    )


def ceilings(
    plan: Plan,
    entries: Sequence[LogEntry],
    settings: AdaptSettings,
    today: dt.date,
    *,
    replaced: Sequence[LogEntry] = (),
    checkins: Sequence[Checkin] = (),
) -> dict[str, Ceiling]:
    """The most each exercise may ask for while paused, and why.

    An exercise the person has logged gets the last dose they managed without trouble (pain
    at most ``pain_max``, below a red flag, form held, and no red-flag or worse morning
    after it), lowered by anything they logged since that did not go well (to one set
    fewer than what hurt). Entries a later one ``replaced`` can only lower it: logging a
    session again never raises a held dose. One never logged gets its dose in the latest
    session that is done with or over, else its first dose still to come: it does not
    climb either.
    """
    ladder = plan.band_ladder()
    by_slot = {s.slot: s for s in plan.sessions}
    mornings = worst_mornings(checkins)

    def fine(entry: LogEntry) -> bool:
        after = mornings_of(mornings, by_slot[entry.slot].date)
        return (
            entry.pain <= settings.pain_max
            and entry.pain < settings.red_flag_pain
            and not entry.form_broke
            and not (after.rose and (after.after or 0) > settings.pain_safe)
            and (after.after or 0) < settings.red_flag_morning_pain
        )

    def did(entry: LogEntry) -> Prescription | None:
        rx = next((r for r in by_slot[entry.slot].exercises if r.exercise == entry.exercise), None)
        if rx is None:
            return None
        done = managed(rx, entry, ladder)
        # Where it hurt is no ceiling to train at: one set fewer, the smallest step back
        # there is, until adapt decides the next week.
        return done if fine(entry) else done.model_copy(update={"sets": max(1, done.sets - 1)})

    def when(entry: LogEntry) -> tuple[dt.date, int]:
        return by_slot[entry.slot].date, by_slot[entry.slot].index

    found: dict[str, Ceiling] = {}
    for entry in sorted((e for e in entries if e.slot in by_slot), key=when):
        dose = did(entry)
        if dose is None:
            continue
        before = found.get(entry.exercise)
        if fine(entry) or before is None:
            found[entry.exercise] = Ceiling(dose, "managed" if fine(entry) else "hurt")
        else:
            found[entry.exercise] = Ceiling(cap(before.dose, dose, ladder), "hurt")
    for entry in (e for e in replaced if e.slot in by_slot and not fine(e)):
        dose = did(entry)
        if dose is not None and entry.exercise in found:
            lower = cap(found[entry.exercise].dose, dose, ladder)
            if lower != found[entry.exercise].dose:
                found[entry.exercise] = Ceiling(lower, "hurt")
    still = open_slots(plan, entries, today)
    logged = {e.slot for e in entries}
    fallback: dict[str, Ceiling] = {}
    for session in plan.sessions:
        for rx in session.exercises:
            # A missed session was never done: its dose is no ceiling to hold at.
            if session.slot not in still and session.slot in logged:
                fallback[rx.exercise] = Ceiling(rx, "unlogged")  # the latest lived through
            else:
                fallback.setdefault(rx.exercise, Ceiling(rx, "unlogged"))  # or the first
    return {**fallback, **found}


def pause_note(state: SafetyReport, settings: AdaptSettings) -> str:
    """The note every held session carries while the pause stands. It names the red flags
    and the rule that lifts the pause, not the day-by-day steps (those change as the weeks
    go by, and would touch every event each time). While a sign that a clinician should
    look at has not been cleared, it says not to train until they have."""
    pause = state.standing
    assert pause is not None
    flags = "; ".join(f.text for f in pause.flags)
    clean = f"log {clean_week_words(settings, 'a week that starts after the latest red flag')}"
    if state.needs_clearance:
        signs = list(
            dict.fromkeys(f.kind.replace("-", " ") for f in pause.flags if f.needs_clearance)
        )
        return (
            f"Do not train until a doctor or physiotherapist has seen you about the "
            f"{' and '.join(signs)}. Safety stop since {day_text(pause.since)} "
            f"because of red flags ({flags}). Once you have been seen, record it with "
            "planner clear; if you are cleared to train, this session is the most to do "
            "(nothing in it asks for more than before the safety stop or than you last managed "
            "without trouble, and no new phase starts; in the warm-up, do no more of an "
            f"exercise than below), and to go on, {clean}."
        )
    if any(f.needs_clearance for f in pause.flags):
        clean = f"{clean} (the clinician's go-ahead is recorded)"
    return (
        f"Safety stop since {day_text(pause.since)} because of red flags ({flags}). "
        "Nothing here asks for more than before the safety stop or than you last managed "
        "without "
        "trouble, and no new phase starts; in the warm-up, do no more of an exercise than "
        f"below. To lift the safety stop: {clean}."
    )


def _lowered(session: Session, limits: dict[str, Ceiling], ladder: tuple[str, ...]) -> Session:
    """A held session capped again at today's ceilings (its notes kept, a note added to an
    exercise that drops)."""
    exercises = []
    for rx in session.exercises:
        ceiling = limits.get(rx.exercise)
        held = rx if ceiling is None else cap(rx, ceiling.dose, ladder)
        exercises.append(held if ceiling is None else _noted(rx, held, HELD_NOTES[ceiling.why]))
    return session.model_copy(update={"exercises": tuple(exercises)})


def _noted(rx: Prescription, held: Prescription, note: str) -> Prescription:
    """``held`` (``rx`` lowered) with ``note`` added when the dose did drop; ``{planned}``
    in ``note`` becomes the dose ``rx`` had."""
    planned = dose_text(rx)
    if dose_text(held) == planned:
        return held
    return held.model_copy(update={"notes": (*rx.notes, note.format(planned=planned))})


def hold(
    plan: Plan,
    state: SafetyReport,
    entries: Sequence[LogEntry],
    settings: AdaptSettings,
    today: dt.date,
    *,
    replaced: Sequence[LogEntry] = (),
    checkins: Sequence[Checkin] = (),
    previous: Plan | None = None,
) -> Plan:
    """``plan`` with every session that may still change held while ``state`` is paused
    (unchanged when it is not); ``replaced`` and ``checkins`` as for :func:`ceilings`.

    ``previous`` is the plan as saved before this rebuild: a session it already held never
    asks for more now, whatever else changed (options, level, the template), so a pause
    only ever holds or lowers a dose. A session that is held already stays as it is.
    """
    if not state.paused:
        return plan
    ladder = plan.band_ladder()
    limits = ceilings(plan, entries, settings, today, replaced=replaced, checkins=checkins)
    before = {} if previous is None else {s.slot: s for s in previous.sessions}
    still = open_slots(plan, entries, today)
    note = pause_note(state, settings)
    sessions: list[Session] = []
    for session in plan.sessions:
        if session.slot not in still:
            sessions.append(session)
            continue
        if session.paused:
            # Held already (kept as it was by new options, or a plan that cannot be
            # rebuilt): what was logged since can only lower it, never leave it above what
            # was last managed.
            sessions.append(_lowered(session, limits, ladder))
            continue
        was = before.get(session.slot)
        # Only a session held before is a ceiling: an unheld plan's later weeks climb in
        # other shapes (a load up with the reps back down) that do not compare.
        earlier = (
            {}
            if was is None or not was.paused or was.phase != session.phase
            else {rx.exercise: rx for rx in was.exercises}
        )
        exercises = []
        for rx in session.exercises:
            ceiling = limits.get(rx.exercise)
            held = rx if ceiling is None else cap(rx, ceiling.dose, ladder)
            if rx.exercise in earlier:
                held = cap(held, earlier[rx.exercise], ladder)
            why = HELD_NOTES["unlogged" if ceiling is None else ceiling.why]
            exercises.append(_noted(rx, held, why))
        sessions.append(
            session.model_copy(
                update={
                    "exercises": tuple(exercises),
                    "notes": (note, *session.notes),
                    "paused": True,
                }
            )
        )
    return plan.model_copy(update={"sessions": tuple(sessions)})
