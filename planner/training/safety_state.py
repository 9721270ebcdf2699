"""The safety state of a saved plan (pure): every red flag ever reported, whether
progression is paused because of them, since when, and what will lift the pause.

It is computed from the whole log up to today, never from a window of it: a red flag
counts whenever it was logged and whenever a command looks. Red flags are pain during
exercise at or above ``red_flag_pain``, morning pain at or above ``red_flag_morning_pain``,
any red-flag sign in a check-in (swelling, locking, giving way, night or rest pain), and
pain during exercise that has not eased after ``review_after_weeks`` weeks. Entries that a
later entry replaced, and entries for exercises that have since left the plan, count too:
what a person reports about their pain is never dropped.

A pause lifts only on evidence, never on silence: a full plan week that starts after the
latest red flag, logged (all its sessions, or ``clear_week_share`` of them) at pain within
the safe band with no red flag; and, when any flag of the pause is a sign a clinician
should look at, a clearance (``planner clear``) recorded on or after the latest such sign.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean

from planner.models.adapt import AdaptSettings
from planner.models.log import Checkin, Clearance, LogEntry, Logged
from planner.models.plan import Plan, Session
from planner.models.safety import (
    CLINICAL_KINDS,
    Pause,
    RedFlagReport,
    SafetyReport,
    is_flag_kind,
)
from planner.wording.life import skipped_slots
from planner.wording.plan import day_text, fmt_number
from planner.wording.safety import clean_week_words


def newest(log: Sequence[Logged]) -> list[LogEntry]:
    """The entries that count for training decisions: the newest per session and exercise."""
    return [item.entry for item in log if not item.replaced]


@dataclass(frozen=True, slots=True)
class _Week:
    number: int
    sessions: tuple[Session, ...]

    @property
    def first(self) -> dt.date:
        return self.sessions[0].date

    @property
    def last(self) -> dt.date:
        return self.sessions[-1].date


class _Log:
    """The log laid out by day and by plan week, as the safety rules read it."""

    def __init__(
        self, plan: Plan, log: Sequence[Logged], checkins: Sequence[Checkin], today: dt.date
    ) -> None:
        self.today = today
        self.by_slot = {s.slot: s for s in plan.sessions}
        self.skipped = skipped_slots(plan)
        self.names = {rx.exercise: rx.name for s in plan.sessions for rx in s.exercises}
        weeks: dict[int, list[Session]] = defaultdict(list)
        for s in plan.sessions:
            weeks[s.week].append(s)
        self.weeks = [_Week(n, tuple(v)) for n, v in sorted(weeks.items())]
        self.log = log
        self.checkins = sorted(checkins, key=lambda c: c.date)
        # Worst pain logged for each session, from the entries that count, and the
        # sessions logged in full (every exercise of it has an entry).
        self.slot_pain: dict[str, int] = {}
        # The earliest day a session's entries were logged for: a session logged before the
        # plan was moved to other dates is no evidence for the week now in its place.
        self.slot_day: dict[str, dt.date] = {}
        done: dict[str, set[str]] = defaultdict(set)
        for entry in newest(log):
            self.slot_pain[entry.slot] = max(entry.pain, self.slot_pain.get(entry.slot, 0))
            done[entry.slot].add(entry.exercise)
            session = self.by_slot.get(entry.slot)
            day = entry.date or (session.date if session else None)
            if day is not None:
                self.slot_day[entry.slot] = min(day, self.slot_day.get(entry.slot, day))
        self.full = {
            slot
            for slot, exercises in done.items()
            if slot in self.by_slot
            and {rx.exercise for rx in self.by_slot[slot].exercises} <= exercises
        }

    def date_of(self, item: Logged) -> dt.date:
        """The day an entry is about: the session's day as logged (a later revision may
        have moved the session since), else its session's date in this plan, else (it has
        left the plan) the day it was written."""
        if item.entry.date is not None:
            return item.entry.date
        session = self.by_slot.get(item.entry.slot)
        return item.logged_at.date() if session is None else session.date

    def name(self, exercise: str) -> str:
        """An exercise's printed name, or its id in words once it has left the plan."""
        return self.names.get(exercise, exercise.replace("-", " "))


def _flag(
    date: dt.date, kind: str, text: str, recorded: dt.datetime | None = None
) -> RedFlagReport:
    if not is_flag_kind(kind):  # a fault of the planner, never of what was reported
        raise ValueError(f"unknown red-flag kind {kind!r}")
    # Built, not validated: every value comes from the validated log and this module's own
    # words, and validating would first build the model's validator, the largest part of a
    # quick command's time (see planner.models.construct).
    return RedFlagReport.model_construct(
        date=date,
        kind=kind,
        text=text,
        needs_clearance=kind in CLINICAL_KINDS,
        recorded=recorded,
    )


def entry_flag(
    entry: LogEntry, day: dt.date, name: str, settings: AdaptSettings
) -> RedFlagReport | None:
    """The red flag a log entry reports (pain at or above ``red_flag_pain``), if any."""
    if entry.pain < settings.red_flag_pain:
        return None
    text = f"pain {entry.pain}/10 during {name} ({entry.slot}, {day_text(day)})"
    return _flag(day, "pain", text)


def checkin_flags(checkin: Checkin, settings: AdaptSettings) -> list[RedFlagReport]:
    """The red flags a check-in reports: a high morning and every red-flag sign."""
    day = checkin.date
    found = []
    if checkin.morning_pain >= settings.red_flag_morning_pain:
        found.append(
            _flag(day, "morning-pain", f"morning pain {checkin.morning_pain}/10 on {day_text(day)}")
        )
    found += [
        _flag(day, sign, f"{sign.replace('-', ' ')} reported on {day_text(day)}", checkin.recorded)
        for sign in checkin.red_flags
    ]
    return found


def _flags(data: _Log, s: AdaptSettings) -> list[RedFlagReport]:
    found: dict[tuple[dt.date, str, str, dt.datetime | None], RedFlagReport] = {}
    reported: list[RedFlagReport] = []
    for item in data.log:
        flag = entry_flag(item.entry, data.date_of(item), data.name(item.entry.exercise), s)
        if flag is not None:
            reported.append(flag)
    for c in data.checkins:
        reported += checkin_flags(c, s)
    reported += [_flag(date, "no-improvement", text) for date, text in _not_easing(data, s)]
    for flag in reported:
        # The same sign reported twice in a day counts twice: a clearance may lie between.
        found.setdefault((flag.date, flag.kind, flag.text, flag.recorded), flag)
    return sorted(found.values(), key=lambda f: f.date)  # stable: as reported within a day


def _not_easing(data: _Log, s: AdaptSettings) -> list[tuple[dt.date, str]]:
    """Weeks, ``review_after_weeks`` or more after the first logged one, whose mean pain
    during exercise is above the safe band and no lower than that first week's."""
    pains: dict[int, list[int]] = defaultdict(list)
    dates: dict[int, dt.date] = {}
    for item in data.log:
        session = data.by_slot.get(item.entry.slot)
        if session is None or item.replaced:
            continue
        pains[session.week].append(item.entry.pain)
        dates[session.week] = max(session.date, dates.get(session.week, session.date))
    logged = sorted(pains)
    if not logged:
        return []
    first = logged[0]
    start = mean(pains[first])
    found = []
    # Only weeks that are over: a week still going on has no mean yet, and a flag once
    # raised must not vanish because a later session of its week went well.
    over = {w.number for w in data.weeks if w.last < data.today}
    for week in (w for w in logged if w in over):
        now = mean(pains[week])
        # Not eased: still above the safe band and no lower than at the start (which
        # includes pain that has grown from a low start).
        if week - first + 1 >= s.review_after_weeks and now > s.pain_safe and now >= start:
            found.append(
                (
                    dates[week],
                    f"pain during exercise has not eased after {week - first + 1} weeks "
                    f"(about {fmt_number(round(start, 1))}/10 in week {first}, "
                    f"{fmt_number(round(now, 1))}/10 in week {week})",
                )
            )
    return found


def _needed(s: AdaptSettings, week: _Week) -> int:
    """How many of a week's sessions must be logged in full for it to lift a pause."""
    return math.ceil(s.clear_week_share * len(week.sessions) - 1e-9)


def _week_is(data: _Log, s: AdaptSettings, week: _Week) -> str:
    """``clean``: logged in full by today (every exercise of all its sessions, or of
    ``clear_week_share`` of them once the week is over) at pain within the safe band, with
    no morning above the hold threshold; ``failed``: it can no longer be; ``open``: it is
    still going on."""
    logged = [x for x in week.sessions if x.slot in data.slot_pain]
    full = [
        x
        for x in week.sessions
        if x.slot in data.full and data.slot_day.get(x.slot, x.date) >= week.first
    ]
    # A session skipped on purpose will not be done: it is no session to come.
    to_come = [
        x
        for x in week.sessions
        if x.slot not in data.slot_pain and x.date >= data.today and x.slot not in data.skipped
    ]
    end = week.first + dt.timedelta(days=7)
    if (
        any(data.slot_pain[x.slot] > s.pain_safe for x in logged)
        or any(
            week.first <= c.date < end and c.morning_pain > s.morning_pain_max
            for c in data.checkins
            if c.date <= data.today
        )
        or len(full) + len(to_come) < _needed(s, week)
    ):
        return "failed"
    over = week.last < data.today
    if len(full) == len(week.sessions) or (over and len(full) >= _needed(s, week)):
        return "clean" if week.last <= data.today else "open"
    return "open"


def _clean_week(data: _Log, s: AdaptSettings, after: dt.date) -> _Week | None:
    """The first plan week that starts after ``after`` and is clean by today."""
    for week in data.weeks:
        if week.first <= after:
            continue
        verdict = _week_is(data, s, week)
        if verdict == "failed":
            continue  # not clean; the next week may be
        return week if verdict == "clean" else None  # still going on: later ones wait
    return None


def clears(clearance: Clearance, flag: RedFlagReport) -> bool:
    """Whether a clearance covers a clinical sign: recorded for its day or a later one, and
    on the same day only if it was recorded after the sign, on that day (a visit entered
    later for an earlier day may have been before a sign of that day)."""
    if clearance.date != flag.date:
        return clearance.date > flag.date
    if clearance.entered is not None and clearance.entered > clearance.date:
        return False
    if clearance.recorded is None or flag.recorded is None:
        return True
    return clearance.recorded > flag.recorded


def _cleared(flags: Sequence[RedFlagReport], clearances: Sequence[Clearance]) -> Clearance | None:
    """The first clearance that covers every clinical sign of ``flags`` (None: none does)."""
    clinical = [f for f in flags if f.needs_clearance]
    return next(
        (
            c
            for c in sorted(clearances, key=lambda c: c.date)
            if all(clears(c, f) for f in clinical)
        ),
        None,
    )


def _lift(
    data: _Log, s: AdaptSettings, flags: list[RedFlagReport], clearances: Sequence[Clearance]
) -> tuple[dt.date, str] | None:
    """When and how a pause made of ``flags`` lifts (None: not yet)."""
    latest = max(f.date for f in flags)
    week = _clean_week(data, s, latest)
    if week is None:
        return None
    logged = "in full" if s.clear_week_share >= 1 else f"({s.clear_week_share:.0%} of it or more)"
    how = f"week {week.number} was logged {logged} at pain {s.pain_safe}/10 or less"
    lifted = week.last
    if any(f.needs_clearance for f in flags):
        seen = _cleared(flags, clearances)
        if seen is None:
            return None
        how += f"; a clinician's clearance was recorded on {day_text(seen.date)} ({seen.note})"
        lifted = max(lifted, seen.date)
    if lifted > data.today:
        return None  # a week is over on its last session day, not before
    return lifted, how


def _pauses(
    data: _Log, s: AdaptSettings, flags: list[RedFlagReport], clearances: Sequence[Clearance]
) -> list[Pause]:
    pauses = []
    queue = list(flags)
    while queue:
        members = [queue.pop(0)]
        while True:
            lift = _lift(data, s, members, clearances)
            if queue and (lift is None or queue[0].date <= lift[0]):
                members.append(queue.pop(0))  # reported before the pause could lift
                continue
            break
        pauses.append(
            Pause.model_construct(  # built from validated data, as _flag
                since=members[0].date,
                flags=tuple(members),
                lifted=None if lift is None else lift[0],
                how="" if lift is None else lift[1],
            )
        )
    return pauses


def _to_lift(
    data: _Log, s: AdaptSettings, pause: Pause, clearances: Sequence[Clearance]
) -> tuple[bool, tuple[str, ...]]:
    """Whether the standing pause waits for a clearance, and what still has to happen
    before it lifts, in words (the clearance first, when it is one of them)."""
    steps = []
    waiting = (
        any(f.needs_clearance for f in pause.flags) and _cleared(pause.flags, clearances) is None
    )
    if waiting:
        clinical = [f for f in pause.flags if f.needs_clearance]
        signs = list(dict.fromkeys(f.kind.replace("-", " ") for f in clinical))
        said = signs[0] if len(signs) == 1 else f"{', '.join(signs[:-1])} and {signs[-1]}"
        steps.append(
            f"see a doctor or physiotherapist about the {said}, then record their go-ahead"
        )
    latest = max(f.date for f in pause.flags)
    if _clean_week(data, s, latest) is None:
        upcoming = next(
            (w for w in data.weeks if w.first > latest and _week_is(data, s, w) != "failed"),
            None,
        )
        if upcoming is None:
            steps.append(
                f"the plan has no full week left after {day_text(latest)}; ask your clinician "
                "how to go on"
            )
        else:
            steps.append(
                "log "
                + clean_week_words(
                    s,
                    f"a week that starts after {day_text(latest)} (the next is week "
                    f"{upcoming.number}, from {day_text(upcoming.first)})",
                )
            )
    return waiting, tuple(steps)


def safety_state(
    plan: Plan,
    log: Sequence[Logged],
    checkins: Sequence[Checkin],
    clearances: Sequence[Clearance],
    settings: AdaptSettings,
    today: dt.date,
) -> SafetyReport:
    """The safety state of ``plan`` on ``today``.

    Args:
        plan: the latest saved revision (its sessions date the log).
        log: every entry ever written, including replaced ones (see :class:`Logged`).
        checkins: every morning check-in, several a day allowed.
        clearances: every clinician clearance the person recorded.
        settings: the thresholds (the template's ``[adapt]`` table).
        today: flags and clearances after today are not counted.
    """
    data = _Log(plan, log, checkins, today)
    flags = [f for f in _flags(data, settings) if f.date <= today]
    clear = [c for c in clearances if c.date <= today and c.kind == "red-flags"]
    pauses = _pauses(data, settings, flags, clear)
    paused = bool(pauses) and pauses[-1].lifted is None
    high = tuple(
        (c.date, c.morning_pain)
        for c in data.checkins
        if settings.morning_pain_max < c.morning_pain < settings.red_flag_morning_pain
        and c.date <= today
    )
    waiting, steps = _to_lift(data, settings, pauses[-1], clear) if paused else (False, ())
    return SafetyReport.model_construct(  # built from validated data, as _flag
        today=today,
        paused=paused,
        flags=tuple(flags),
        pauses=tuple(pauses),
        to_lift=steps,
        needs_clearance=waiting,
        high_mornings=high,
    )
