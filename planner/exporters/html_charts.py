"""The printable page's charts section (pure): inline SVG figures with captions and a
legend, from the numbers in :mod:`planner.exporters.figures`."""

from collections.abc import Sequence
from html import escape

from planner.exporters.figures import metric_caption, progressions, weekly_volume
from planner.exporters.svg import DONE_COLOUR, phase_colour, progression_chart, volume_chart
from planner.models.log import LogEntry
from planner.models.plan import Plan

# An exercise with this many charted weeks or fewer gets a small chart in a row of them.
SMALL_POINTS = 2
SMALL_PER_ROW = 3


def _e(text: object) -> str:
    return escape(str(text))


def charts_section(plan: Plan, entries: Sequence[LogEntry]) -> list[str]:
    """The charts page: weekly volume by phase, then one chart per exercise of what climbs,
    planned and (where logged) done."""
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
    every = progressions(plan, entries)
    small = [p for p in every if len(p.points) <= SMALL_POINTS]
    for prog in every:
        if prog in small:
            continue
        what = metric_caption(prog.metric, plan.units)
        chart = progression_chart(
            prog, plan.weeks, plan.deload_weeks, plan.phases, ladder, plan.units
        )
        out.append(
            f"<figure><figcaption><b>{_e(prog.name)}</b>: {_e(what)}; {_e(key)}</figcaption>"
            f"{chart}</figure>"
        )
    if small:
        # An exercise in the plan a week or two says little on a full-width chart: these
        # share rows of small charts, each over its own weeks.
        out.append(
            f'<div class="keep"><p class="legend">In the plan for a week or two ({_e(key)}):</p>'
        )
        for i in range(0, len(small), SMALL_PER_ROW):
            figures = "".join(
                f"<figure><figcaption><b>{_e(p.name)}</b>: "
                f"{_e(metric_caption(p.metric, plan.units))}</figcaption>"
                + progression_chart(
                    p, plan.weeks, plan.deload_weeks, plan.phases, ladder, plan.units, small=True
                )
                + "</figure>"
                for p in small[i : i + SMALL_PER_ROW]
            )
            out.append(f'<div class="chart-row">{figures}</div>')
            if i == 0:
                out.append("</div>")  # the key is kept with the first row only
    out.append("</section>")
    return out
