"""What a printed plan says, shared by the HTML and Markdown exports (pure, plain text).

Both formats show the same cover facts, the same week grouping and the same session
headings; only the markup differs.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from planner.models.log import Checkin, Clearance, LogEntry
from planner.models.plan import Block, PhaseSpan, Plan, Prescription, Session
from planner.models.safety import SafetyReport
from planner.wording.entry import (
    author_lines,
    group_heading,
    marks,
    member_mark,
    round_rest,
    short_extras,
)
from planner.wording.life import session_life_notes
from planner.wording.log import done_text
from planner.wording.plan import DELOAD_NOTE, day_text, dose_text, fmt_number

HOW_TO = (
    "Tick a box for each set you finish. Write down the load or band you used, your "
    "pain (0-10) during the exercise and your effort (RPE, 1-10: 10 = not one more rep); "
    "the next morning, note your pain again. "
    "Enter the same numbers with 'planner log' and 'planner checkin' so the plan can adapt."
)


def _list(values: tuple[str, ...] | None, empty: str) -> str:
    if values is None:
        return empty
    return ", ".join(values) or "none"


def plan_facts(plan: Plan) -> list[tuple[str, str]]:
    """The plan at a glance: template, id, length, dates and times."""
    opts = plan.options
    first, last = plan.sessions[0].date, plan.sessions[-1].date
    when = f"{opts.time:%H:%M} ({opts.tz or 'local time'})" if opts.time else "all-day sessions"
    minutes = sorted({s.minutes for s in plan.sessions})
    length = (
        f"about {minutes[0]} min" if len(minutes) == 1 else f"about {minutes[0]}-{minutes[-1]} min"
    )
    return [
        ("Template", plan.template),
        ("Plan id", plan.id),
        ("Length", f"{plan.weeks} weeks, {len(plan.sessions)} sessions"),
        ("Dates", f"{day_text(first)} to {day_text(last)}"),
        ("Time", when),
        ("Session length", length),
        ("Deload weeks", ", ".join(map(str, plan.deload_weeks)) or "none"),
        ("Made by", plan.generator),
    ]


def option_rows(plan: Plan) -> list[tuple[str, str]]:
    """Every option the person chose (or left to the template), in words."""
    o = plan.options
    return [
        ("Start", day_text(o.start)),
        ("Training days", ", ".join(o.days)),
        ("Weeks asked for", str(o.weeks) if o.weeks else "as the template says"),
        ("Time of day", f"{o.time:%H:%M}" if o.time else "all day"),
        ("Time zone", o.tz or "-"),
        ("Session minutes", str(o.duration) if o.duration else "as the template says"),
        ("Avoid strain on", _list(o.avoid or None, "nothing flagged")),
        ("Equipment", _list(o.equipment, "any")),
        ("Level", o.level),
        ("Units", plan.units),
        ("Starting loads", ", ".join(map(str, o.loads)) or "as the template says"),
        ("Bands", " < ".join(plan.band_ladder()) if o.bands else "the usual colour order"),
        (
            "Phase weeks",
            ", ".join(map(str, o.phase_weeks)) or "as the template says",
        ),
    ]


@dataclass(frozen=True, slots=True)
class Week:
    """One plan week as printed: its sessions, and whether it opens a phase or is a deload."""

    number: int
    phase: PhaseSpan
    deload: bool
    opens_phase: bool
    sessions: tuple[Session, ...]


def plan_weeks(plan: Plan) -> list[Week]:
    """The sessions grouped by week, each week with its phase."""
    spans = {p.name: p for p in plan.phases}
    weeks = []
    previous = None
    for number, group in groupby(plan.sessions, key=lambda s: s.week):
        sessions = tuple(group)
        phase = spans[sessions[0].phase]
        weeks.append(Week(number, phase, sessions[0].deload, phase.name != previous, sessions))
        previous = phase.name
    return weeks


def week_heading(week: Week) -> str:
    """``Week 5 · strength phase · deload week``."""
    parts = [f"Week {week.number}", f"{week.phase.name} phase"]
    if week.deload:
        parts.append("deload week")
    return " · ".join(parts)


def week_notes(week: Week) -> list[tuple[str, str]]:
    """What is special about the week, as (kind, text): ``phase`` with the new phase's goal,
    ``deload`` for a deload week."""
    notes = []
    if week.opens_phase:
        notes.append(
            (
                "phase",
                f"New phase: {week.phase.name} (weeks {week.phase.first_week}-"
                f"{week.phase.last_week}). Goal: {week.phase.goal}",
            )
        )
    if week.deload:
        notes.append(("deload", DELOAD_NOTE))
    return notes


def session_when(plan: Plan, session: Session) -> str:
    """``W1S1 Mon 7 Dec 2026 18:00`` (``W1S1 Day A Mon 7 Dec 2026`` with training days)."""
    time = f" {plan.options.time:%H:%M}" if plan.options.time else ""
    day = f" {session.title}" if session.day else ""
    return f"{session.slot}{day} {day_text(session.date)}{time}"


def session_effort(session: Session) -> str:
    """``About 35 min per session, effort 3-4/10.``"""
    low, high = (fmt_number(r) for r in session.rpe)
    effort = f"{low}-{high}" if low != high else low
    return f"About {session.minutes} min per session, effort {effort}/10."


def same_prescriptions(sessions: tuple[Session, ...], limit: int) -> list[tuple[Session, ...]]:
    """Sessions that prescribe exactly the same exercises, in groups of at most ``limit``.

    A week's sessions usually match, so one table with a column per session serves them
    all; a session that differs (a swap, say) gets a table of its own.
    """
    groups: dict[tuple[Prescription, ...], list[Session]] = {}
    for session in sessions:
        groups.setdefault(session.exercises, []).append(session)
    return [
        tuple(group[i : i + limit])
        for group in groups.values()
        for i in range(0, len(group), limit)
    ]


def block_text(title: str, block: Block, cues: bool = False) -> str:
    """``Warm-up (7 min): easy walking. Glute bridge 1 x 10`` in one line."""
    head = f"{title} ({block.minutes} min)" + (f": {block.activity}" if block.activity else "")
    items = [
        f"{rx.name} {dose_text(rx)}{short_extras(rx)}" + (f" ({rx.cue})" if cues else "")
        for rx in block.exercises
    ]
    return " ".join([head, "; ".join(items), *block.notes]).strip()


def rest_text(rx: Prescription) -> str:
    """``60 s`` or ``-`` when the exercise has no rest between sets."""
    return f"{rx.rest} s" if rx.rest else "-"


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    """One exercise as a printed table shows it.

    ``heading`` opens a superset or circuit (it stands before its first exercise); ``rest``
    is the rest after this exercise: in a group none until the last, which carries the
    round's rest. ``extras`` are the author's tempo and note, then the planner's notes.
    """

    heading: str | None
    number: str
    rx: Prescription
    rest: str
    extras: tuple[str, ...]


def exercise_rows(exercises: tuple[Prescription, ...]) -> list[ExerciseRow]:
    """The rows of a session's exercise table, supersets and circuits kept together."""
    rows = []
    for run, number in marks(exercises):
        last = len(run.exercises) - 1
        for i, rx in enumerate(run.exercises):
            if run.label is None:
                heading, rest = None, rest_text(rx)
            else:
                heading = group_heading(run) if i == 0 else None
                pause = round_rest(run) if i == last else 0
                rest = f"{pause} s" if pause else "-"
            extras = (*author_lines(rx), *rx.notes)
            rows.append(ExerciseRow(heading, member_mark(number, run, i), rx, rest, extras))
    return rows


def mornings_by_day(checkins: Sequence[Checkin]) -> dict[dt.date, list[Checkin]]:
    """Every check-in by its day; a day's several check-ins stay apart, in the order made."""
    days: dict[dt.date, list[Checkin]] = {}
    for c in checkins:
        days.setdefault(c.date, []).append(c)
    return days


def morning_after(checkins: dict[dt.date, list[Checkin]], session: Session) -> list[Checkin]:
    """Every check-in of the morning after ``session`` (none: an empty list)."""
    return checkins.get(session.date + dt.timedelta(days=1), [])


def logged_text(entry: LogEntry) -> str:
    """``done 15,15,12 @ 20 kg · pain 2 · RPE 6``: one logged exercise in a line."""
    parts = [f"done {done_text(entry)}", f"pain {entry.pain}"]
    if entry.rpe is not None:
        parts.append(f"RPE {fmt_number(entry.rpe)}")
    if entry.form_broke:
        parts.append("form broke")
    if entry.note:
        parts.append(entry.note)
    return " · ".join(parts)


def session_notes(
    sessions: Sequence[Session], plan: Plan | None = None
) -> list[tuple[str, str, bool]]:
    """The sessions' notes as (slots, note, pause), in order of first appearance: a note
    several sessions share (a pause holds every session of a week) is printed once, with
    all their slots (``W2S1, W2S2, W2S3``). ``pause`` marks the note a held session opens
    with (why it is held and what to do), for the alarming style."""
    slots: dict[str, list[str]] = {}
    pauses: set[str] = set()
    for session in sessions:
        # A session waiting in a pause or skipped says so first (``plan`` names the skip).
        life = session_life_notes(plan, session) if plan is not None else []
        for note in (*life, *session.notes):
            slots.setdefault(note, []).append(session.slot)
        if session.paused and session.notes:
            pauses.add(session.notes[0])
    return [(", ".join(where), note, note in pauses) for note, where in slots.items()]


# How the note of an adjustment from ``planner adapt`` starts (planner.plan.weeks): such
# notes are printed as one short line that points to the full reason in the appendix.
ADAPTED = "Adapted from your log: "
# A session note longer than this (an extra week listing every exercise's dose, say) is
# printed as its first clause with a pointer to the appendix, so the week fits its page.
LONG_NOTE = 140


@dataclass(frozen=True, slots=True)
class Reason:
    """One appendix entry: its number, what and where it is about, and the full text."""

    number: int
    about: str
    text: str


class Reasons:
    """The printout's appendix of full reasons, numbered in order of first reference.

    The same reason for the same thing (the three sessions of a week, say) gets one
    number; the week pages print a short line with that number.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self.entries: list[Reason] = []

    def number(self, about: str, text: str) -> int:
        """The number of the entry for ``text`` about ``about``, added if it is new."""
        key = (about, text)
        if key not in self._numbers:
            self._numbers[key] = len(self.entries) + 1
            self.entries.append(Reason(self._numbers[key], about, text))
        return self._numbers[key]


def sentence(text: str) -> str:
    """``text`` ending as a sentence, so notes run together in one paragraph stay apart."""
    return text if text.endswith((".", "!", "?", ")")) else f"{text}."


def _head(text: str, name: str = "") -> str:
    """The first clause of ``text`` (up to its first colon), without a leading ``name``."""
    head = text.split(": ", 1)[0].rstrip(".")
    if name and head.startswith(name):
        head = head[len(name) :].strip(" ,") or head
    return head


def short_note(note: str, rx_name: str, week: int, reasons: Reasons) -> str:
    """An exercise note as a week page prints it: an adaptation as ``Adapted from your log:
    one step back (see note 3)`` with its full reason numbered in ``reasons``; any other
    note as it is."""
    if not note.startswith(ADAPTED):
        return note
    reason = note[len(ADAPTED) :]
    n = reasons.number(f"Week {week}, {rx_name}", reason)
    return f"Adapted from your log: {_head(reason, rx_name)} (see note {n})"


def _about_safety(note: str) -> bool:
    """Whether a note speaks of red flags or the safety stop: such notes are never cut."""
    lowered = note.lower()
    return "red flag" in lowered or "safety stop" in lowered


@dataclass(frozen=True, slots=True)
class BannerLine:
    """One line of a week's banner; ``pause`` asks for the alarming style."""

    text: str
    pause: bool


def week_banner(week: Week, plan: Plan, reasons: Reasons) -> list[BannerLine]:
    """Everything special about a week in one banner: the new phase, the deload, then the
    sessions' notes once each. A note every session of the week has is said without slots;
    a long one is cut to its first clause with the full text in ``reasons``. A safety-stop
    note is never cut: what to do about a red flag is always printed in full."""
    lines = [BannerLine(text, False) for _, text in week_notes(week)]
    every = ", ".join(s.slot for s in week.sessions)
    for slots, note, pause in session_notes(week.sessions, plan):
        where = "" if slots == every and len(week.sessions) > 1 else f"{slots}: "
        text = note
        if not pause and len(note) > LONG_NOTE and not _about_safety(note):
            n = reasons.number(f"Week {week.number}" + (f", {slots}" if where else ""), note)
            text = f"{_head(note)} (see note {n})"
        lines.append(BannerLine(f"{where}{text}", pause))
    return lines


def log_summary(plan: Plan, entries: Sequence[LogEntry], checkins: Sequence[Checkin]) -> list[str]:
    """The log so far in a few lines for the cover: sessions logged, the last session's
    pain and effort, the highest pain, the last morning check-in."""
    if not entries and not checkins:
        return ["Nothing logged yet."]
    by_slot: dict[str, list[LogEntry]] = {}
    for e in entries:
        by_slot.setdefault(e.slot, []).append(e)
    order = [s for s in plan.sessions if s.slot in by_slot]
    lines = [f"Sessions logged: {len(order)} of {len(plan.sessions)}."]
    if order:
        last = order[-1]
        done = by_slot[last.slot]
        pain = max(e.pain for e in done)
        efforts = [e.rpe for e in done if e.rpe is not None]
        text = f"Last session logged: {last.slot} ({day_text(last.date)}), pain up to {pain}/10"
        if efforts:
            text += f", effort (RPE) up to {fmt_number(max(efforts))}/10"
        lines.append(text + ".")
        names = {rx.exercise: rx.name for s in plan.sessions for rx in s.exercises}
        worst = max(entries, key=lambda e: e.pain)
        lines.append(
            f"Highest pain logged: {worst.pain}/10 ({worst.slot}, "
            f"{names.get(worst.exercise, worst.exercise)})."
        )
    if checkins:
        # Every check-in of the last day, in the order made: a red flag reported in the
        # second one of a morning must not hide behind the first.
        day = max(c.date for c in checkins)
        parts = []
        for c in (c for c in checkins if c.date == day):
            signs = ", ".join(sign.replace("-", " ") for sign in c.red_flags)
            parts.append(f"{c.morning_pain}/10" + (f" ({signs})" if signs else ""))
        lines.append(f"Last morning check-in: {day_text(day)}, {', '.join(parts)}.")
    return lines


def safety_headline(state: SafetyReport, clearances: Sequence[Clearance]) -> str:
    """The safety status in a few plain words: a safety stop in place, red flags reported
    and the stop lifted (cleared by a clinician), or none reported. The same facts as
    ``planner show``'s status line, which the cover prints under it. (Never "paused": that
    is the word for a break the person asked for.)"""
    seen = [c for c in clearances if c.kind == "red-flags"]
    pause = state.standing
    if pause is not None:
        since = [c for c in seen if c.date >= pause.since]
        cleared = f", cleared by a clinician on {day_text(since[-1].date)}" if since else ""
        return f"Safety status: safety stop for red flags in place{cleared}"
    if state.flags:
        cleared = f", cleared by a clinician on {day_text(seen[-1].date)}" if seen else ""
        return f"Safety status: red flags reported, safety stop lifted{cleared}"
    return "Safety status: no red flags reported"
