"""Plan -> one self-contained, printable HTML page with inline SVG charts (pure).

No script, no web font, no image file, no link: the page works offline and prints the
same anywhere. ``@page`` sets margins but no paper size, so A4 and Letter both fit (widths
are relative; tests print both in Chromium).
"""

import datetime as dt
from collections.abc import Sequence
from html import escape

from planner.exporters.figures import (
    logged_by_slot,
)
from planner.exporters.html_charts import charts_section
from planner.exporters.html_style import CSS
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
    sentence,
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
from planner.exporters.svg import phase_colour
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Block, Plan, Prescription, Session
from planner.wording.life import life_lines
from planner.wording.plan import decision_text, dose_text
from planner.wording.safety import NO_PROMISE, pain_rule, pain_rule_short, red_flag_rule

# More sessions than this in one week's table would squeeze the tick boxes; they wrap into
# a second table instead.
MAX_COLUMNS = 4
ByLog = dict[tuple[str, str], LogEntry]
Mornings = dict[dt.date, list[Checkin]]


def _e(text: object) -> str:
    return escape(str(text))


def _rows(pairs: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in pairs)
    return f'<table class="facts">{body}</table>'


def _items(lines: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"


def _status(box: StatusBox, headline: str, log: Sequence[str]) -> list[str]:
    """The safety status box: red and in full while paused, one calm line otherwise; then
    the log so far."""
    if box.paused:
        out = [
            f'<div class="safety status"><h3>{_e(headline)}</h3>',
            f"<p><b>{_e(box.status)}</b></p>",
            _items(box.standing),
            f"<p><b>{_e(box.advice)}</b></p>",
        ]
        if box.to_lift:
            out += ["<h3>To lift the safety stop</h3>", _items(box.to_lift)]
    else:
        out = [f'<div class="status"><h3>{_e(headline)}</h3>', f"<p>{_e(box.status)}</p>"]
    for heading, flags in box.earlier:
        out += [f"<p>{_e(heading)}</p>", _items(flags)]
    if box.mornings:
        out.append(f"<p>{_e(box.mornings)}</p>")
    if box.clearances:
        out += ["<p>Clinician clearances recorded:</p>", _items(box.clearances)]
    out += ['<div class="keep"><h3>Your log so far</h3>', _items(log), "</div>"]
    return [*out, "</div>"]


def _cover(plan: Plan, status: list[str]) -> list[str]:
    out = [
        '<section class="cover">',
        f"<h1>{_e(plan.title)}</h1>",
        f'<p class="summary">{_e(plan.summary)}</p>',
        # Right under the title, before anything to read or tick: a standing red flag
        # must be the first thing a person sees, and the rules must stay on the first
        # page however many tailoring notes follow.
        *status,
        '<div class="safety"><h3>Pain rule</h3>',
        f"<p>{_e(pain_rule(plan.rules))}</p>",
        "<h3>Stop and get checked</h3>",
        f"<p>{_e(red_flag_rule(plan.rules))}</p>",
        f"<p>{_e(NO_PROMISE)}</p></div>",
        '<div class="grid2"><div><h3>The plan</h3>',
        _rows(plan_facts(plan)),
        "</div><div><h3>Your options</h3>",
        _rows(option_rows(plan)),
        "</div></div>",
        "<h3>Phases</h3><table class='phases'><colgroup><col style='width:22%'>"
        "<col style='width:14%'><col style='width:14%'><col></colgroup>"
        "<tr><th>Phase</th><th>Weeks</th><th>Sessions/wk</th><th>Goal</th></tr>",
    ]
    for i, p in enumerate(plan.phases):
        out.append(
            f'<tr><td><span class="swatch" style="background:{phase_colour(i)}"></span>'
            f"{_e(p.name)}</td><td>{p.first_week}-{p.last_week}</td>"
            f"<td>{p.sessions_per_week}</td><td>{_e(p.goal)}</td></tr>"
        )
    out.append("</table>")
    if plan.decisions:
        out += _listed("Changes made for you", [decision_text(d) for d in plan.decisions])
    if plan.warnings:
        out += _listed("Please note", plan.warnings)
    if life := life_lines(plan):
        out += _listed("Pauses and moved sessions", life)
    out += [
        f'<div class="keep"><h3>How to use this printout</h3><p>{_e(HOW_TO)}</p></div>',
        # One block that never breaks: a heading alone at the foot of a page, its text
        # on the next, is what left a page all but empty.
        '<div class="keep"><h3>Every session</h3>',
        f"<p>{_e(block_text('Warm-up', plan.warmup, cues=True))}</p>",
        f"<p>{_e(block_text('Cool-down', plan.cooldown, cues=True))}</p></div>",
        "</section>",
    ]
    return out


def _listed(heading: str, lines: Sequence[str]) -> list[str]:
    """A heading and its list; the heading is kept on the page of the list's first item."""
    first, *rest = lines
    return [
        f'<div class="keep"><h3>{_e(heading)}</h3><ul class="joined"><li>{_e(first)}</li></ul>'
        "</div>",
        *([f'<ul class="rest">{"".join(f"<li>{_e(x)}</li>" for x in rest)}</ul>'] if rest else []),
    ]


def _boxes(rx: Prescription, done: LogEntry | None) -> str:
    ticked = len(done.done) if done else 0
    return "".join(
        f'<span class="box{" ticked" if i < ticked else ""}"></span>'
        for i in range(max(rx.sets, ticked))
    )


def _cell(rx: Prescription, done: LogEntry | None) -> str:
    """One exercise in one session: a box per set, then what was done or lines to fill."""
    if done is not None:
        return f'{_boxes(rx, done)}<div class="log">{_e(logged_text(done))}</div>'
    used = ""
    if rx.load is not None or rx.band is not None:
        used = _fill("load" if rx.load is not None else "band")
    # Effort beside pain: the page asks for both, and 'planner log --rpe' takes it.
    return f'{_boxes(rx, None)}{used}<div class="pair">{_fill("pain")}{_fill("RPE")}</div>'


LINE = '<span class="line"></span>'


def _fill(label: str) -> str:
    return f'<div class="fill"><span>{label}</span>{LINE}</div>'


def _table(
    plan: Plan, sessions: Sequence[Session], logged: ByLog, mornings: Mornings, reasons: Reasons
) -> list[str]:
    """One card for sessions that prescribe the same: a row per exercise, a column per session."""
    share = 45 / len(sessions)
    cols = "".join(f'<col style="width:{share:.1f}%">' for _ in sessions)
    heads = "".join(
        f"<th>{_e(session_when(plan, s))}<br>"
        f'<span class="box{" ticked" if _all_logged(s, logged) else ""}"></span>done</th>'
        for s in sessions
    )
    out = [
        '<table class="card"><colgroup><col style="width:33%"><col style="width:15%">'
        f'<col style="width:7%">{cols}</colgroup>',
        # In a head, the row is printed again on a page the table runs on to.
        f"<thead><tr><th>Exercise</th><th>Dose</th><th>Rest</th>{heads}</tr></thead>",
        _block_row("Warm-up", plan.warmup, sessions),
    ]
    rows = exercise_rows(sessions[0].exercises)
    # A note every exercise carries (a deload week's, say) is printed once for the table.
    common = set.intersection(*(set(r.extras) for r in rows)) if len(rows) > 1 else set()
    shared = [n for n in rows[0].extras if n in common] if rows else []
    if shared:
        blank = "<td></td>" * len(sessions)
        text = " ".join(sentence(short_note(n, "", sessions[0].week, reasons)) for n in shared)
        out.append(f'<tr class="group"><td colspan="3">Every exercise: {_e(text)}</td>{blank}</tr>')
    for row in rows:
        rx = row.rx
        if row.heading is not None:
            blank = "<td></td>" * len(sessions)
            out.append(f'<tr class="group"><td colspan="3">{_e(row.heading)}</td>{blank}</tr>')
        # The notes run on in one paragraph: a line each made an adapted week too long
        # for its page.
        extras = [
            short_note(n, rx.name, sessions[0].week, reasons) for n in row.extras if n not in common
        ]
        notes = f'<div class="cue">{_e(" ".join(map(sentence, extras)))}</div>' if extras else ""
        cells = "".join(
            f"<td>{_cell(rx, logged.get((s.slot, rx.exercise)))}</td>" for s in sessions
        )
        out.append(
            f'<tr><td><b>{row.number}. {_e(rx.name)}</b><div class="cue">{_e(rx.cue)}</div>'
            f"{notes}</td><td>{_e(dose_text(rx))}</td><td>{_e(row.rest)}</td>{cells}</tr>"
        )
    out.append(_block_row("Cool-down", plan.cooldown, sessions))
    mornings_after = []
    for s in sessions:
        checkins = morning_after(mornings, s)
        mornings_after.append(f"<td>{_e(morning_text(checkins)) if checkins else LINE}</td>")
    out.append(
        f'<tr><td colspan="3">Pain the next morning (0-10)</td>{"".join(mornings_after)}</tr>'
        "</table>"
    )
    return out


def _all_logged(session: Session, logged: ByLog) -> bool:
    return all((session.slot, rx.exercise) in logged for rx in session.exercises)


def _block_row(title: str, block: Block, sessions: Sequence[Session]) -> str:
    boxes = '<td><span class="box"></span></td>' * len(sessions)
    return f'<tr class="block"><td colspan="3">{_e(block_text(title, block))}</td>{boxes}</tr>'


def _reports(reports: WeekReports) -> list[str]:
    """What was reported in the week: its red flags in red, then every check-in."""
    out = []
    if reports.flags:
        out.append(
            '<div class="callout paused"><b>Red flags reported this week</b>'
            f"{_items(reports.flags)}</div>"
        )
    if reports.checkins:
        # One running paragraph, not a list: a week of check-ins fits a line or two.
        out.append(
            f'<p class="reports"><b>Check-ins this week:</b> {_e("; ".join(reports.checkins))}.</p>'
        )
    return out


def _banner(week: Week, plan: Plan, reasons: Reasons) -> list[str]:
    """One banner for the week, red when it holds a safety-stop note (printed first, in
    full)."""
    lines = sorted(week_banner(week, plan, reasons), key=lambda line: not line.pause)
    if not lines:
        return []
    paused = any(line.pause for line in lines)
    body = "".join(
        f'<p class="{"pause" if line.pause else "note"}">{_e(line.text)}</p>' for line in lines
    )
    return [f'<div class="callout banner{" paused" if paused else ""}">{body}</div>']


def _week(
    plan: Plan,
    week: Week,
    logged: ByLog,
    mornings: Mornings,
    reports: WeekReports,
    reasons: Reasons,
) -> list[str]:
    index = [p.name for p in plan.phases].index(week.phase.name)
    first = week.sessions[0]
    out = [
        f'<section class="week page" id="week-{week.number}">',
        f'<h2><span class="swatch" style="background:{phase_colour(index)}"></span>'
        f"{_e(week_heading(week))}</h2>",
        f"<p>{_e(session_effort(first))}</p>",
        *_banner(week, plan, reasons),
    ]
    for group in same_prescriptions(week.sessions, MAX_COLUMNS):
        out += _table(plan, group, logged, mornings, reasons)
    out += _reports(reports)
    # Kept together: the reminder alone at the top of a page would be a page all but blank.
    out += [
        f'<div class="keep"><div class="notes">Notes for the week: {LINE}{LINE}</div>',
        f'<p class="reminder">{_e(pain_rule_short(plan.rules))}</p></div></section>',
    ]
    return out


def render_html(plan: Plan, record: Record = NO_RECORD) -> str:
    """The printable page: cover (with the safety status when ``record`` has a state),
    charts, then one page per week with what ``record`` says was done."""
    logged = logged_by_slot(record.entries)
    mornings = mornings_by_day(record.checkins)
    weeks = plan_weeks(plan)
    reports = week_reports(weeks, record.checkins, record.state)
    status: list[str] = []
    if record.state is not None:
        box = status_box(record.state, record.clearances, record.name)
        headline = safety_headline(record.state, record.clearances)
        status = _status(box, headline, log_summary(plan, record.entries, record.checkins))
    out = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(plan.title)}</title><style>{CSS}</style></head><body>",
        *_cover(plan, status),
        *charts_section(plan, record.entries),
    ]
    reasons = Reasons()
    for week in weeks:
        week_report = reports.get(week.number, WeekReports())
        out += _week(plan, week, logged, mornings, week_report, reasons)
    out += _appendix(reasons)
    out.append("</body></html>\n")
    return "\n".join(out)


def _appendix(reasons: Reasons) -> list[str]:
    """The full reasons the week pages point to, by number."""
    if not reasons.entries:
        return []
    items = "".join(
        f'<li value="{r.number}" id="note-{r.number}"><b>{_e(r.about)}:</b> {_e(r.text)}</li>'
        for r in reasons.entries
    )
    return [
        '<section class="appendix page"><h2>Notes: why the plan changed</h2>',
        "<p>The full reasons behind the short lines on the week pages, by their number.</p>",
        f"<ol>{items}</ol></section>",
    ]
