"""While progression is paused by red flags (pure): which sessions may still change, the
most each exercise may ask for, and the plan with those sessions held to it.

"Held" means that no exercise in a session not yet done asks for more than the person last
managed without trouble: not more sets, reps, steps or seconds, not a heavier band, not more
load. The generator already stops the climb and keeps the phase in progress going (see
:mod:`planner.steering`); holding is the last word on every session, so a pin, the return
from a deload week or anything else that would add to a dose cannot slip through.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from planner.models.adapt import AdaptSettings
from planner.models.log import LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.models.safety import SafetyReport
from planner.text import day_text, dose_text

HELD_NOTE = "Held at what you last managed without trouble (the plan had {planned})."
_HELD_START = HELD_NOTE.split("(", maxsplit=1)[0]


def _held(note: str) -> str:
    """``note`` if it is a held note from an earlier hold, else an empty string."""
    return note if note.startswith(_HELD_START) else ""


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
    sessions = [kept.pop(s.slot, s) for s in fresh.sessions]
    sessions += kept.values()  # done sessions the fresh plan no longer has: never dropped
    sessions.sort(key=lambda s: (s.week, s.index))
    return fresh.model_copy(update={"id": old.id, "sessions": tuple(sessions)})


def _amount(rx: Prescription) -> int:
    return rx.seconds if rx.seconds is not None else (rx.reps or rx.steps or 0)


def _band_rank(band: str | None, ladder: tuple[str, ...]) -> int:
    return ladder.index(band) if band in ladder else -1


def managed(rx: Prescription, entry: LogEntry, ladder: tuple[str, ...]) -> Prescription:
    """What the person actually did of ``rx``, never more than it asked for: the sets and
    the best set they logged, the load and the band they used."""
    done = max(1, *entry.done)
    amount = min(_amount(rx), done)
    load = rx.load
    if load is not None and entry.load is not None:
        load = min(load, entry.load)
    band = rx.band
    if band is not None and entry.band is not None:
        band = min(band, entry.band, key=lambda b: _band_rank(b, ladder))
    return rx.model_copy(
        update={
            "sets": max(1, min(rx.sets, len(entry.done))),
            "reps": amount if rx.reps is not None else None,
            "steps": amount if rx.steps is not None else None,
            "seconds": amount if rx.seconds is not None else None,
            "load": load,
            "band": band,
        }
    )


def cap(rx: Prescription, ceiling: Prescription, ladder: tuple[str, ...]) -> Prescription:
    """``rx`` lowered, part by part, to no more than ``ceiling`` (same exercise)."""
    amount = min(_amount(rx), max(1, _amount(ceiling)))
    load = rx.load
    if load is not None:
        load = None if ceiling.load is None else min(load, ceiling.load)
    band = rx.band
    if band is not None and ceiling.band is not None:
        band = min(band, ceiling.band, key=lambda b: _band_rank(b, ladder))
    return rx.model_copy(
        update={
            "sets": min(rx.sets, ceiling.sets),
            "reps": amount if rx.reps is not None else None,
            "steps": amount if rx.steps is not None else None,
            "seconds": amount if rx.seconds is not None else None,
            "load": load,
            "unit": rx.unit if load is not None else None,
            "band": band,
        }
    )


def ceilings(
    plan: Plan, entries: Sequence[LogEntry], settings: AdaptSettings, today: dt.date
) -> dict[str, Prescription]:
    """The most each exercise may ask for while paused.

    An exercise the person has logged gets the last dose they managed without trouble (pain
    at most ``pain_max``, below a red flag, form held), lowered by anything they logged
    since that did not go well (to one set fewer than what hurt). One never logged gets
    its dose in the latest session that is done with or over, else its first dose still to
    come: it does not climb either.
    """
    ladder = plan.band_ladder()
    by_slot = {s.slot: s for s in plan.sessions}
    dated = sorted(
        (e for e in entries if e.slot in by_slot),
        key=lambda e: (by_slot[e.slot].date, by_slot[e.slot].index),
    )
    found: dict[str, Prescription] = {}
    for entry in dated:
        rx = next((r for r in by_slot[entry.slot].exercises if r.exercise == entry.exercise), None)
        if rx is None:
            continue
        did = managed(rx, entry, ladder)
        fine = (
            entry.pain <= settings.pain_max
            and entry.pain < settings.red_flag_pain
            and not entry.form_broke
        )
        if not fine:
            # Where it hurt is no ceiling to train at: one set fewer, the smallest step
            # back there is, until adapt decides the next week.
            did = did.model_copy(update={"sets": max(1, did.sets - 1)})
        before = found.get(entry.exercise)
        found[entry.exercise] = did if fine or before is None else cap(before, did, ladder)
    still = open_slots(plan, entries, today)
    fallback: dict[str, Prescription] = {}
    for session in plan.sessions:
        for rx in session.exercises:
            if session.slot not in still:
                fallback[rx.exercise] = rx  # the latest dose done with or lived through
            else:
                fallback.setdefault(rx.exercise, rx)  # else the first one still to come
    return {**fallback, **found}


def pause_note(state: SafetyReport, settings: AdaptSettings) -> str:
    """The note every held session carries while the pause stands. It names the red flags
    and the rule that lifts the pause, not the day-by-day steps (those change as the weeks
    go by, and would touch every event each time)."""
    pause = state.standing
    assert pause is not None
    flags = "; ".join(f.text for f in pause.flags)
    lift = f"log a full week at pain {settings.pain_safe}/10 or less with no red flag"
    if any(f.needs_clearance for f in pause.flags):
        lift = (
            "see a doctor or physiotherapist and record their go-ahead with planner clear, "
            f"and {lift}"
        )
    return (
        f"Progression paused since {day_text(pause.since)} because of red flags ({flags}). "
        "No exercise here asks for more than you last managed without trouble, and no new "
        f"phase starts. To go on: {lift}."
    )


def hold(
    plan: Plan,
    state: SafetyReport,
    entries: Sequence[LogEntry],
    settings: AdaptSettings,
    today: dt.date,
) -> Plan:
    """``plan`` with every session that may still change held while ``state`` is paused
    (unchanged when it is not)."""
    if not state.paused:
        return plan
    ladder = plan.band_ladder()
    limits = ceilings(plan, entries, settings, today)
    still = open_slots(plan, entries, today)
    note = pause_note(state, settings)
    sessions: list[Session] = []
    for session in plan.sessions:
        if session.slot not in still:
            sessions.append(session)
            continue
        exercises = []
        for rx in session.exercises:
            earlier = [n for n in rx.notes if _held(n)]  # held before: keep what it says
            plain = rx.model_copy(update={"notes": tuple(n for n in rx.notes if not _held(n))})
            held = cap(plain, limits[rx.exercise], ladder) if rx.exercise in limits else plain
            if earlier or dose_text(held) != dose_text(plain):
                why = earlier[0] if earlier else HELD_NOTE.format(planned=dose_text(plain))
                held = held.model_copy(update={"notes": (*plain.notes, why)})
            exercises.append(held)
        notes = tuple(n for n in session.notes if not n.startswith("Progression paused"))
        sessions.append(
            session.model_copy(
                update={"exercises": tuple(exercises), "notes": (note, *notes), "paused": True}
            )
        )
    return plan.model_copy(update={"sessions": tuple(sessions)})
