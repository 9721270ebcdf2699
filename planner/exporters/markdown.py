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
    Reasons,
    Week,
    block_text,
    exercise_rows,
    log_summary,
    logged_text,
    morning_after,
    mornings_by_day,
    option_rows,
    plan_facts,
    plan_weeks,
    safety_headline,
    same_prescriptions,
    session_effort,
    session_when,
    short_note,
    week_banner,
    week_heading,
)
from planner.exporters.record import NO_RECORD, Record
from planner.exporters.safety_text import (
    StatusBox,
    WeekReports,
    morning_text,
    status_box,
    week_reports,
)
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Session
from planner.wording.life import life_lines
from planner.wording.plan import decision_text, dose_text
from planner.wording.safety import NO_PROMISE, pain_rule, pain_rule_short, red_flag_rule

BLANK = r"\_\_\_"  # a line to write on, escaped so it does not turn into emphasis
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: object) -> str:
    """Text with Markdown's special characters escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _sentence(text: str) -> str:
    """``text`` ending as a sentence, so texts run together in one cell stay apart."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _bullets(lines: Sequence[str]) -> list[str]:
    return [*(f"- {_md(line)}" for line in lines), ""]


def _status(box: StatusBox, headline: str, log: Sequence[str]) -> list[str]:
    """The safety status: a quoted block in full while paused, one calm line otherwise;
    then the log so far."""
    lines = [f"**{_md(headline)}**", ""]
    if box.paused:
        lines += [f"**RED FLAGS: {_md(box.status)}**", "", *_bullets(box.standing)]
        lines += [f"**{_md(box.advice)}**", ""]
        if box.to_lift:
            lines += ["To lift the safety stop:", "", *_bullets(box.to_lift)]
    else:
        lines += [_md(box.status), ""]
    for heading, flags in box.earlier:
        lines += [_md(heading), "", *_bullets(flags)]
    if box.mornings:
        lines += [_md(box.mornings), ""]
    if box.clearances:
        lines += ["Clinician clearances recorded:", "", *_bullets(box.clearances)]
    lines += ["Your log so far:", "", *_bullets(log)]
    if not box.paused:
        return lines
    # A quote sets the paused state apart from the rest of the cover, as the red box does.
    return [f"> {line}" if line else ">" for line in lines[:-1]] + [""]


def _cover(plan: Plan, status: list[str]) -> list[str]:
    # The status before anything else: a standing red flag comes first.
    out = [f"# {_md(plan.title)}", "", _md(plan.summary), "", *status]
    out += [
        f"> **Pain rule.** {_md(pain_rule(plan.rules))}",
        ">",
        f"> **Stop and get checked.** {_md(red_flag_rule(plan.rules))}",
        ">",
        f"> {_md(NO_PROMISE)}",
        "",
        "## The plan",
        "",
    ]
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
    if life := life_lines(plan):
        out += ["## Pauses and moved sessions", "", *(f"- {_md(x)}" for x in life), ""]
    out += [
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
    mornings: dict[dt.date, list[Checkin]],
) -> list[str]:
    # The session's notes are in the week's banner, once for the week.
    items = [f"- [ ] **{_md(session_when(plan, session))}**", "  - [ ] Warm-up"]
    for rx in session.exercises:
        done = logged.get((session.slot, rx.exercise))
        if done is None:
            used = "load" if rx.load is not None else ("band" if rx.band else "")
            fill = (f" · {used} {BLANK}" if used else "") + f" · pain {BLANK} · RPE {BLANK}"
            items.append(f"  - [ ] {_md(rx.name)}: {_md(dose_text(rx))}{fill}")
        else:
            items.append(f"  - [x] {_md(rx.name)}: {_md(logged_text(done))}")
    items.append("  - [ ] Cool-down")
    checkins = morning_after(mornings, session)
    morning = _md(morning_text(checkins)) if checkins else f"{BLANK} /10"
    items.append(f"  - Pain the next morning: {morning}")
    return items


def _week(
    plan: Plan,
    week: Week,
    logged: dict[tuple[str, str], LogEntry],
    mornings: dict[dt.date, list[Checkin]],
    reports: WeekReports,
    reasons: Reasons,
) -> list[str]:
    out = [f"## {_md(week_heading(week))}", "", _md(session_effort(week.sessions[0])), ""]
    # One banner for the week, safety-stop notes first and in bold.
    banner = sorted(week_banner(week, plan, reasons), key=lambda line: not line.pause)
    for line in banner:
        out += [f"> **{_md(line.text)}**" if line.pause else f"> {_md(line.text)}", ">"]
    if banner:
        out[-1] = ""
    for group in same_prescriptions(week.sessions, len(week.sessions)):
        rows: list[tuple[object, ...]] = []
        for row in exercise_rows(group[0].exercises):
            if row.heading is not None:
                rows.append(("", row.heading, "", "", ""))
            rx = row.rx
            rows.append(
                (
                    row.number,
                    rx.name,
                    dose_text(rx),
                    row.rest,
                    " ".join(
                        _sentence(short_note(n, rx.name, week.number, reasons))
                        for n in (rx.cue, *row.extras)
                    ),
                )
            )
        out += _table(("#", "Exercise", "Dose", "Rest", "Cue"), rows)
        for session in group:
            out += _session_items(plan, session, logged, mornings)
        out.append("")
    if reports.flags:
        out += ["> **Red flags reported this week**", ">"]
        out += [f"> - {_md(flag)}" for flag in reports.flags] + [""]
    if reports.checkins:
        out += ["**Check-ins this week**", "", *_bullets(reports.checkins)]
    return [*out, f"*{_md(pain_rule_short(plan.rules))}*", ""]


def render_markdown(plan: Plan, record: Record = NO_RECORD) -> str:
    """The printable plan as Markdown: the same content as the HTML page, with what
    ``record`` says was done filled in."""
    logged = logged_by_slot(record.entries)
    mornings = mornings_by_day(record.checkins)
    weeks = plan_weeks(plan)
    reports = week_reports(weeks, record.checkins, record.state)
    status: list[str] = []
    if record.state is not None:
        box = status_box(record.state, record.clearances, record.name)
        headline = safety_headline(record.state, record.clearances)
        status = _status(box, headline, log_summary(plan, record.entries, record.checkins))
    out = _cover(plan, status) + _charts(plan, record.entries)
    reasons = Reasons()
    for week in weeks:
        week_report = reports.get(week.number, WeekReports())
        out += _week(plan, week, logged, mornings, week_report, reasons)
    if reasons.entries:
        out += ["## Notes: why the plan changed", ""]
        out += [f"{r.number}. **{_md(r.about)}:** {_md(r.text)}" for r in reasons.entries]
    return "\n".join(out).rstrip("\n") + "\n"
