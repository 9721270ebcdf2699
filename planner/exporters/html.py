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
from planner.exporters.svg import DONE_COLOUR, phase_colour, progression_chart, volume_chart
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Block, Plan, Prescription, Session
from planner.safety import NO_PROMISE, PAIN_RULE, PAIN_RULE_SHORT, RED_FLAGS
from planner.text import decision_text, dose_text

# More sessions than this in one week's table would squeeze the tick boxes; they wrap into
# a second table instead.
MAX_COLUMNS = 4
ByLog = dict[tuple[str, str], LogEntry]

CSS = """
@page { margin: 13mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Liberation Sans", Arial, "Helvetica Neue", "DejaVu Sans", sans-serif;
  font-size: 10pt; line-height: 1.35; color: #111; margin: 0 auto; max-width: 190mm;
  padding: 6mm; overflow-wrap: anywhere; }
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 0 0 6pt; border-bottom: 2px solid #333; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 0; }
p { margin: 3pt 0; }
.page { break-before: page; }
.summary { font-size: 11pt; }
.grid2 { display: flex; gap: 8mm; flex-wrap: wrap; }
.grid2 > * { flex: 1 1 75mm; min-width: 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; border-bottom: 1px solid #ccc; }
th { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .02em; color: #444; }
.facts th { width: 38%; text-transform: none; font-size: 10pt; color: #333; }
.safety { border: 2px solid #c92a2a; border-radius: 4px; padding: 5pt 8pt; margin: 8pt 0;
  break-inside: avoid; }
.safety h3 { color: #c92a2a; }
.callout { border-left: 4px solid #555; background: #f1f3f5; padding: 3pt 8pt; margin: 4pt 0; }
.callout.deload { border-left-color: #868e96; border-left-style: dashed; }
.swatch { display: inline-block; width: 9pt; height: 9pt; border-radius: 2px;
  vertical-align: -1pt; margin-right: 3pt; }
.week { break-inside: avoid; }
.card { margin: 6pt 0; break-inside: avoid; }
.card th { text-transform: none; letter-spacing: 0; font-size: 8.5pt; }
.card tr.block td { font-size: 8.5pt; color: #333; background: #f8f9fa; }
.fill { font-size: 8pt; color: #444; display: flex; gap: 3pt; align-items: flex-end; }
.fill > span:first-child { white-space: nowrap; overflow-wrap: normal; }
.fill .line { flex: 1; width: auto; min-width: 12pt; }
.notes { font-size: 9pt; margin-top: 6pt; }
.notes .line { display: block; height: 16pt; }
.cue { font-size: 8.5pt; color: #444; }
.log { font-size: 8.5pt; color: #a33f00; }
.box { display: inline-block; width: 10pt; height: 10pt; border: 1.2px solid #222;
  border-radius: 2px; margin: 0 2pt 2pt 0; vertical-align: middle; }
.box.ticked { background: #222; }
.line { display: inline-block; width: 100%; min-width: 22pt; border-bottom: 1px solid #222;
  height: 11pt; }
.line.short { width: 26pt; }
.footer { display: flex; gap: 10pt; font-size: 9pt; margin-top: 3pt; flex-wrap: wrap; }
.reminder { font-size: 8.5pt; color: #444; margin-top: 6pt; }
figure { margin: 4pt 0 9pt; break-inside: avoid; }
figcaption { font-size: 9pt; color: #333; margin-bottom: 2pt; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10px; fill: #333; }
.chart .tick { fill: #555; } .chart .note { fill: #666; font-style: italic; font-size: 9px; }
.chart .value { font-size: 9px; }
.chart .grid { stroke: #e3e3e3; } .chart .axis { stroke: #333; }
.chart .deload { fill: #ececec; }
.chart .phase-line { stroke: #777; stroke-dasharray: 4 3; }
.chart .bar-deload { fill-opacity: .45; stroke: #333; stroke-dasharray: 3 2; }
.chart .planned { fill: none; stroke: #3b5bdb; stroke-width: 2; }
.chart .planned-dot { fill: #3b5bdb; }
.chart .done-line { fill: none; stroke: %(done)s; stroke-width: 1.5; stroke-dasharray: 4 3; }
.chart .done { fill: #fff; stroke-width: 2; }
.legend { font-size: 8.5pt; color: #333; }
.legend .mark { display: inline-block; width: 8pt; height: 8pt; vertical-align: -1pt;
  margin: 0 2pt 0 8pt; }
""".replace("%(done)s", DONE_COLOUR)


def _e(text: object) -> str:
    return escape(str(text))


def _rows(pairs: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in pairs)
    return f'<table class="facts">{body}</table>'


def _cover(plan: Plan) -> list[str]:
    out = [
        '<section class="cover">',
        f"<h1>{_e(plan.title)}</h1>",
        f'<p class="summary">{_e(plan.summary)}</p>',
        '<div class="grid2"><div><h3>The plan</h3>',
        _rows(plan_facts(plan)),
        "</div><div><h3>Your options</h3>",
        _rows(option_rows(plan)),
        "</div></div>",
        "<h3>Phases</h3><table><colgroup><col style='width:22%'><col style='width:14%'>"
        "<col style='width:14%'><col></colgroup>"
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
        out.append("<h3>Changes made for you</h3><ul>")
        out += [f"<li>{_e(decision_text(d))}</li>" for d in plan.decisions]
        out.append("</ul>")
    if plan.warnings:
        out += ["<h3>Please note</h3><ul>", *(f"<li>{_e(w)}</li>" for w in plan.warnings), "</ul>"]
    out += [
        '<div class="safety"><h3>Pain rule</h3>',
        f"<p>{_e(PAIN_RULE)}</p>",
        "<h3>Stop and get checked</h3>",
        f"<p>{_e(RED_FLAGS)}</p>",
        f"<p>{_e(NO_PROMISE)}</p></div>",
        f"<h3>How to use this printout</h3><p>{_e(HOW_TO)}</p>",
        f"<h3>Every session</h3><p>{_e(block_text('Warm-up', plan.warmup, cues=True))}</p>",
        f"<p>{_e(block_text('Cool-down', plan.cooldown, cues=True))}</p>",
        "</section>",
    ]
    return out


def _charts(plan: Plan, entries: Sequence[LogEntry]) -> list[str]:
    volumes = weekly_volume(plan, entries)
    logged = bool(entries)
    legend = "".join(
        f'<span class="mark" style="background:{phase_colour(i)}"></span>{_e(p.name)}'
        for i, p in enumerate(plan.phases)
    )
    legend += '<span class="mark" style="background:#ececec;border:1px dashed #333"></span>deload'
    if logged:
        legend += (
            f'<span class="mark" style="border:2px solid {DONE_COLOUR}"></span>done (from your log)'
        )
    out = ['<section class="charts page"><h2>Progression at a glance</h2>']
    for field, what in (("reps", "repetitions"), ("seconds", "seconds held")):
        if any(getattr(v, field) for v in volumes):
            label = f"Weekly volume: {what} per week, both sides counted"
            out.append(
                f"<figure><figcaption><b>{_e(label)}</b>"
                f'<br><span class="legend">{legend}</span></figcaption>'
                f"{volume_chart(volumes, field, plan.phases, label)}</figure>"
            )
    ladder = plan.band_ladder()
    key = "dots: planned, labelled sets x amount"
    if logged:
        key += "; hollow squares: done (mean per set)"
    for prog in progressions(plan, entries):
        what = metric_caption(prog.metric, plan.units)
        chart = progression_chart(
            prog, plan.weeks, plan.deload_weeks, plan.phases, ladder, plan.units
        )
        out.append(
            f"<figure><figcaption><b>{_e(prog.name)}</b>: {_e(what)}; {_e(key)}</figcaption>"
            f"{chart}</figure>"
        )
    out.append("</section>")
    return out


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
    return f"{_boxes(rx, None)}{used}{_fill('pain')}"


LINE = '<span class="line"></span>'


def _fill(label: str) -> str:
    return f'<div class="fill"><span>{label}</span>{LINE}</div>'


def _table(
    plan: Plan, sessions: Sequence[Session], logged: ByLog, mornings: dict[dt.date, Checkin]
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
        f"<tr><th>Exercise</th><th>Dose</th><th>Rest</th>{heads}</tr>",
        _block_row("Warm-up", plan.warmup, sessions),
    ]
    for number, rx in enumerate(sessions[0].exercises, start=1):
        notes = "".join(f'<div class="cue">{_e(n)}</div>' for n in rx.notes)
        cells = "".join(
            f"<td>{_cell(rx, logged.get((s.slot, rx.exercise)))}</td>" for s in sessions
        )
        out.append(
            f'<tr><td><b>{number}. {_e(rx.name)}</b><div class="cue">{_e(rx.cue)}</div>{notes}</td>'
            f"<td>{_e(dose_text(rx))}</td><td>{_e(rest_text(rx))}</td>{cells}</tr>"
        )
    out.append(_block_row("Cool-down", plan.cooldown, sessions))
    mornings_after = []
    for s in sessions:
        checkin = morning_after(mornings, s)
        mornings_after.append(f"<td>{_e(f'{checkin.morning_pain}/10') if checkin else LINE}</td>")
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


def _week(plan: Plan, week: Week, logged: ByLog, mornings: dict[dt.date, Checkin]) -> list[str]:
    index = [p.name for p in plan.phases].index(week.phase.name)
    first = week.sessions[0]
    out = [
        f'<section class="week page" id="week-{week.number}">',
        f'<h2><span class="swatch" style="background:{phase_colour(index)}"></span>'
        f"{_e(week_heading(week))}</h2>",
        f"<p>{_e(session_effort(first))}</p>",
    ]
    for kind, note in week_notes(week):
        out.append(f'<p class="callout {kind}">{_e(note)}</p>')
    for session in week.sessions:
        out += [f'<p class="callout">{_e(session.slot)}: {_e(n)}</p>' for n in session.notes]
    for group in same_prescriptions(week.sessions, MAX_COLUMNS):
        out += _table(plan, group, logged, mornings)
    out += [
        f'<div class="notes">Notes for the week: {LINE}{LINE}</div>',
        f'<p class="reminder">{_e(PAIN_RULE_SHORT)}</p></section>',
    ]
    return out


def render_html(
    plan: Plan, entries: Sequence[LogEntry] = (), checkins: Sequence[Checkin] = ()
) -> str:
    """The printable page: cover, charts, then one page per week.

    ``entries`` (current log entries) and ``checkins`` fill in what was done; without
    them the page has empty boxes and lines to fill in by hand.
    """
    logged = logged_by_slot(entries)
    mornings = {c.date: c for c in checkins}
    out = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(plan.title)}</title><style>{CSS}</style></head><body>",
        *_cover(plan),
        *_charts(plan, entries),
    ]
    for week in plan_weeks(plan):
        out += _week(plan, week, logged, mornings)
    out.append("</body></html>\n")
    return "\n".join(out)
