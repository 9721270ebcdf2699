"""Plan -> CSV for spreadsheets (pure): one row per prescribed exercise per session.

Written to open without fixes: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark
(so Excel reads names as UTF-8), ISO dates, plain numbers with a dot, empty cells for "none",
and logged amounts joined with spaces (``15 15 12``), never commas or slashes, which
spreadsheets would read as one number or as a date. A text cell that would start a formula
gets a leading apostrophe (the usual guard against CSV formula injection).
"""

import csv
import io
from collections.abc import Sequence

from planner.exporters.figures import logged_by_slot
from planner.models.log import LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.text import fmt_number

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
    if done is None:
        return row + [""] * 8
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
    ]


def render_csv(plan: Plan, entries: Sequence[LogEntry] = ()) -> str:
    """Every prescribed exercise of every session (warm-up and cool-down included, marked
    in ``part``), with what was logged for it where there is a log entry."""
    logged = logged_by_slot(entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in plan.sessions:
        parts = (
            ("warm-up", plan.warmup.exercises),
            ("main", session.exercises),
            ("cool-down", plan.cooldown.exercises),
        )
        for part, exercises in parts:
            for order, rx in enumerate(exercises, start=1):
                done = logged.get((session.slot, rx.exercise)) if part == "main" else None
                writer.writerow(_row(plan, session, part, order, rx, done))
    return "\ufeff" + buffer.getvalue()
