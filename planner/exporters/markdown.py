"""Plan -> Markdown for notes apps (pure): the printable plan's content, charts as tables.

Notes apps do not agree on inline SVG, so the charts' figures appear as tables and one
line per exercise; the tick boxes become task-list items, which most notes apps let you tick.
"""

import datetime as dt
import re
from collections.abc import Sequence

from planner.exporters.figures import (
    logged_by_slot,
    metric_caption,
    progressions,
    weekly_volume,
)
from planner.exporters.printout import (
    HOW_TO,
    Week,
    block_text,
    logged_text,
    morning_after,
    option_rows,
    plan_facts,
    plan_weeks,
    rest_text,
    same_prescriptions,
    session_effort,
    session_when,
    week_heading,
    week_notes,
)
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Session
from planner.safety import NO_PROMISE, PAIN_RULE, PAIN_RULE_SHORT, RED_FLAGS
from planner.text import decision_text, dose_text

BLANK = r"\_\_\_"  # a line to write on, escaped so it does not turn into emphasis
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: object) -> str:
    """Text with Markdown's special characters escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _cover(plan: Plan) -> list[str]:
    out = [f"# {_md(plan.title)}", "", _md(plan.summary), "", "## The plan", ""]
    out += _table(("", ""), plan_facts(plan))
    out += ["## Your options", ""]
    out += _table(("", ""), option_rows(plan))
    out += ["## Phases", ""]
    out += _table(
        ("Phase", "Weeks", "Sessions/wk", "Goal"),
        [
            (p.name, f"{p.first_week}-{p.last_week}", p.sessions_per_week, p.goal)
            for p in plan.phases
        ],
    )
    if plan.decisions:
        out += ["## Changes made for you", ""]
        out += [f"- {_md(decision_text(d))}" for d in plan.decisions] + [""]
    if plan.warnings:
        out += ["## Please note", "", *(f"- {_md(w)}" for w in plan.warnings), ""]
    out += [
        f"> **Pain rule.** {_md(PAIN_RULE)}",
        ">",
        f"> **Stop and get checked.** {_md(RED_FLAGS)}",
        ">",
        f"> {_md(NO_PROMISE)}",
        "",
        "## How to use this plan",
        "",
        _md(HOW_TO),
        "",
        "## Every session",
        "",
        f"- {_md(block_text('Warm-up', plan.warmup, cues=True))}",
        f"- {_md(block_text('Cool-down', plan.cooldown, cues=True))}",
        "",
    ]
    return out


def _charts(plan: Plan, entries: Sequence[LogEntry]) -> list[str]:
    volumes = weekly_volume(plan, entries)
    logged = any(v.done_reps is not None or v.done_seconds is not None for v in volumes)
    head = ["Week", "Phase", "Sets", "Reps", "Seconds held"]
    if logged:
        head += ["Reps done", "Seconds done"]
    rows = []
    for v in volumes:
        row: list[object] = [
            v.week,
            v.phase + (" (deload)" if v.deload else ""),
            v.sets,
            v.reps,
            v.seconds,
        ]
        if logged:
            row += ["" if v.done_reps is None else v.done_reps]
            row += ["" if v.done_seconds is None else v.done_seconds]
        rows.append(row)
    out = ["## Progression at a glance", "", "### Weekly volume (both sides counted)", ""]
    out += _table(head, rows)
    out += ["### Each exercise, week by week", ""]
    for prog in progressions(plan, entries):
        steps = []
        for p in prog.points:
            text = f"W{p.week}{' (deload)' if p.deload else ''} {dose_text(p.planned)}"
            if p.done is not None:
                text += f" [{logged_text(p.done)}]"
            steps.append(_md(text))
        caption = metric_caption(prog.metric, plan.units)
        out.append(f"- **{_md(prog.name)}** ({caption}): " + " → ".join(steps))
    return [*out, ""]


def _session_items(
    plan: Plan,
    session: Session,
    logged: dict[tuple[str, str], LogEntry],
    mornings: dict[dt.date, Checkin],
) -> list[str]:
    items = [f"- [ ] **{_md(session_when(plan, session))}**"]
    items += [f"  - {_md(n)}" for n in session.notes]
    items.append("  - [ ] Warm-up")
    for rx in session.exercises:
        done = logged.get((session.slot, rx.exercise))
        if done is None:
            used = "load" if rx.load is not None else ("band" if rx.band else "")
            fill = (f" · {used} {BLANK}" if used else "") + f" · pain {BLANK}"
            items.append(f"  - [ ] {_md(rx.name)}: {_md(dose_text(rx))}{fill}")
        else:
            items.append(f"  - [x] {_md(rx.name)}: {_md(logged_text(done))}")
    items.append("  - [ ] Cool-down")
    checkin = morning_after(mornings, session)
    morning = f"{checkin.morning_pain}/10" if checkin else f"{BLANK} /10"
    items.append(f"  - Pain the next morning: {morning}")
    return items


def _week(
    plan: Plan,
    week: Week,
    logged: dict[tuple[str, str], LogEntry],
    mornings: dict[dt.date, Checkin],
) -> list[str]:
    out = [f"## {_md(week_heading(week))}", "", _md(session_effort(week.sessions[0])), ""]
    out += [f"> {_md(note)}\n" for _, note in week_notes(week)]
    for group in same_prescriptions(week.sessions, len(week.sessions)):
        out += _table(
            ("#", "Exercise", "Dose", "Rest", "Cue"),
            [
                (i, rx.name, dose_text(rx), rest_text(rx), " ".join((rx.cue, *rx.notes)))
                for i, rx in enumerate(group[0].exercises, start=1)
            ],
        )
        for session in group:
            out += _session_items(plan, session, logged, mornings)
        out.append("")
    return [*out, f"*{_md(PAIN_RULE_SHORT)}*", ""]


def render_markdown(
    plan: Plan, entries: Sequence[LogEntry] = (), checkins: Sequence[Checkin] = ()
) -> str:
    """The printable plan as Markdown; logged entries and check-ins fill in what was done."""
    logged = logged_by_slot(entries)
    mornings = {c.date: c for c in checkins}
    out = _cover(plan) + _charts(plan, entries)
    for week in plan_weeks(plan):
        out += _week(plan, week, logged, mornings)
    return "\n".join(out).rstrip("\n") + "\n"
