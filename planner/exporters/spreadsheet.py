"""Plan -> CSV for spreadsheets (pure): one row per prescribed exercise per session.

Written to open without fixes: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark
(so Excel reads names as UTF-8), ISO dates, plain numbers with a dot, empty cells for "none",
and logged amounts joined with spaces (``15 15 12``), never commas or slashes, which
spreadsheets would read as one number or as a date. A text cell that would start a formula
gets a leading apostrophe (the usual guard against CSV formula injection).

The safety record comes last in each row and in rows of its own, so the columns and rows
spreadsheets already read stay where they were: ``red_flag`` marks an exercise logged at a
red-flag pain, and each morning check-in and clinician clearance gets a row (``part`` =
``check-in`` or ``clearance``) placed by date among the sessions: after every session of
its day and before the next session.
"""

import csv
import datetime as dt
import io

from planner.exporters.figures import logged_by_slot
from planner.exporters.record import NO_RECORD, Record
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.wording.plan import fmt_number

COLUMNS = (
    "date",
    "time",
    "week",
    "slot",
    "phase",
    "deload",
    "part",
    "order",
    "exercise",
    "name",
    "sets",
    "reps",
    "seconds",
    "steps",
    "per_side",
    "load",
    "unit",
    "band",
    "rest_s",
    "done",
    "done_load",
    "done_unit",
    "done_band",
    "pain",
    "rpe",
    "form_broke",
    "note",
    "red_flag",
    "safety_stop",
    # The program author's words, after the older columns so spreadsheets that read those
    # by place still work.
    "tempo",
    "group",
    "program_note",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _num(value: float | None) -> str:
    return "" if value is None else fmt_number(value)


def _row(
    plan: Plan, session: Session, part: str, order: int, rx: Prescription, done: LogEntry | None
) -> list[str]:
    row = [
        session.date.isoformat(),
        f"{plan.options.time:%H:%M}" if plan.options.time else "",
        str(session.week),
        session.slot,
        _text(session.phase),
        "yes" if session.deload else "no",
        part,
        str(order),
        _text(rx.exercise),
        _text(rx.name),
        str(rx.sets),
        _num(rx.reps),
        _num(rx.seconds),
        _num(rx.steps),
        "yes" if rx.per_side else "no",
        _num(rx.load),
        rx.unit or "",
        _text(rx.band or ""),
        str(rx.rest),
    ]
    paused = "yes" if session.paused else ""
    author = [
        "" if rx.tempo is None else rx.tempo.notation(),
        _text(rx.group or ""),
        _text(rx.note or ""),
    ]
    if done is None:
        return [*row, *[""] * 9, paused, *author]
    return [
        *row,
        " ".join(map(str, done.done)),
        _num(done.load),
        done.unit or "",
        _text(done.band or ""),
        str(done.pain),
        _num(done.rpe),
        "yes" if done.form_broke else "no",
        _text(done.note),
        "yes" if done.pain >= plan.rules.red_flag_pain else "",
        paused,
        *author,
    ]


def _checkin_row(plan: Plan, checkin: Checkin) -> list[str]:
    red = bool(checkin.red_flags) or checkin.morning_pain >= plan.rules.red_flag_morning_pain
    return _report_row(
        checkin.date,
        "check-in",
        pain=str(checkin.morning_pain),
        note=" ".join(checkin.red_flags),
        red_flag="yes" if red else "",
    )


def _report_row(
    day: dt.date, part: str, pain: str = "", note: str = "", red_flag: str = ""
) -> list[str]:
    """A row that is not an exercise: only the date, part, pain, note and red flag cells."""
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(date=day.isoformat(), part=part, pain=pain, note=_text(note), red_flag=red_flag)
    return list(cells.values())


def render_csv(plan: Plan, record: Record = NO_RECORD) -> str:
    """Every prescribed exercise of every session (warm-up and cool-down included, marked
    in ``part``), with what was logged for it where there is a log entry; then, by date
    among them, a row per morning check-in, per clinician clearance and per red flag of
    the safety state (every one ever reported, also those of entries replaced since)."""
    logged = logged_by_slot(record.entries)
    flags = () if record.state is None else record.state.flags
    # Sorting by date alone keeps a day's several check-ins in the order they were made.
    reports = sorted(
        [
            *((c.date, _checkin_row(plan, c)) for c in record.checkins),
            *((c.date, _report_row(c.date, "clearance", note=c.note)) for c in record.clearances),
            *(
                (f.date, _report_row(f.date, "red-flag", note=f.text, red_flag="yes"))
                for f in flags
            ),
        ],
        key=lambda r: r[0],
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in plan.sessions:
        while reports and reports[0][0] < session.date:
            writer.writerow(reports.pop(0)[1])
        parts = (
            ("warm-up", plan.warmup.exercises),
            ("main", session.exercises),
            ("cool-down", plan.cooldown.exercises),
        )
        for part, exercises in parts:
            for order, rx in enumerate(exercises, start=1):
                done = logged.get((session.slot, rx.exercise)) if part == "main" else None
                writer.writerow(_row(plan, session, part, order, rx, done))
    writer.writerows(row for _, row in reports)
    return "\ufeff" + buffer.getvalue()
