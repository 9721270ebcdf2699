"""Inline SVG charts for the printable plan (pure: figures in, SVG text out).

Charts share one frame: the plan's weeks on the x axis, deload weeks shaded, phase
boundaries dashed. They use no script, no external font and no id, so any number of them
can sit in one HTML page. Colours are backed by shape (filled vs hollow marks, dashed
outlines) so a black-and-white printout still tells planned from done and deloads apart.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from planner.exporters.figures import Progression, WeekVolume, amount_text
from planner.models.plan import PhaseSpan

PHASE_COLOURS = ("#3b5bdb", "#2b8a3e", "#c2255c", "#e67700", "#1098ad", "#7048e8")
DONE_COLOUR = "#d9480f"
WIDTH = 700
# A small chart's width: a third of a big one less the gaps, so its text prints the same size.
SMALL_WIDTH = 226
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 16, 22


def phase_colour(index: int) -> str:
    """The colour of the ``index``-th phase (cycling), used by charts and their legends."""
    return PHASE_COLOURS[index % len(PHASE_COLOURS)]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis values covering low..high: steps of 1, 2 or 5 times a power of ten, or
    2.5 times one from 2.5 up (25, 250 ...).

    The first tick is at or below ``low`` and the last at or above ``high``, give or take
    a trillionth of their size (float noise such as 3 * 1.1 = 3.3000000000000003 must not
    add a tick a whole step away).
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    exponent = math.floor(math.log10(raw))
    # A quarter step (0.25, 0.025) would need two decimals its one-decimal label lacks.
    factors = (1, 2, 2.5, 5, 10) if exponent >= 0 else (1, 2, 5, 10)
    # The same noise must not pick the next larger step either (0.1 * 3 / 3 > 0.1).
    factor = next(m for m in factors if m * 10.0**exponent >= raw * (1 - 1e-12))
    step = factor * 10.0**exponent
    places = max(0, -exponent) + (1 if factor == 2.5 else 0)
    slack = 1e-12 * max(abs(low), abs(high), step)
    # Whole multiples of the step, each computed afresh (adding the step tick by tick
    # piles up error), rounded to the step's own decimals.
    first = math.floor((low + slack) / step)
    last = math.ceil((high - slack) / step)
    return [round(k * step, places) for k in range(first, last + 1)]


@dataclass(frozen=True, slots=True)
class Frame:
    """The plotting area of one chart: maps weeks and values to SVG coordinates."""

    weeks: int
    height: int
    low: float
    high: float
    width: int = WIDTH
    first: int = 1  # the first week shown (a small chart shows only its own weeks)

    @property
    def last(self) -> int:
        """The last week shown."""
        return self.first + self.weeks - 1

    @property
    def slot(self) -> float:
        """Width of one week."""
        return (self.width - LEFT - RIGHT) / self.weeks

    def x(self, week: float) -> float:
        """Centre of ``week`` (1-based)."""
        return LEFT + (week - self.first + 0.5) * self.slot

    def y(self, value: float) -> float:
        """Height of ``value`` on the axis."""
        span = self.high - self.low or 1.0
        return TOP + (self.height - TOP - BOTTOM) * (1 - (value - self.low) / span)

    @property
    def base(self) -> float:
        """Bottom of the plotting area."""
        return float(self.height - BOTTOM)

    def label_every(self, width: float = 24) -> int:
        """Show one week label in this many, so labels never overlap."""
        return max(1, math.ceil(width / self.slot))


def _open(frame: Frame, label: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'class="chart" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]


def _week_axis(frame: Frame, deloads: Sequence[int], phases: Sequence[PhaseSpan]) -> list[str]:
    """Deload shading, phase boundaries with names, and week numbers along the bottom."""
    out = []
    for week in deloads:
        if frame.first <= week <= frame.last:
            left = frame.x(week) - frame.slot / 2
            out.append(
                f'<rect x="{left:.1f}" y="{TOP}" width="{frame.slot:.1f}" '
                f'height="{frame.base - TOP:.1f}" class="deload"/>'
            )
            if frame.slot >= 36:
                out.append(
                    f'<text x="{frame.x(week):.1f}" y="{TOP - 4}" class="note" '
                    f'text-anchor="middle">deload</text>'
                )
    for phase in phases:
        # Only the part of the phase the chart shows.
        start, end = max(phase.first_week, frame.first), min(phase.last_week, frame.last)
        if start > end:
            continue
        left = frame.x(start) - frame.slot / 2
        if start > frame.first:
            out.append(
                f'<line x1="{left:.1f}" y1="{TOP - 12}" x2="{left:.1f}" y2="{frame.base:.1f}" '
                f'class="phase-line"/>'
            )
        span = (end - start + 1) * frame.slot
        if span >= 8 * len(phase.name) and not (frame.slot >= 36 and start in deloads):
            out.append(
                f'<text x="{left + 3:.1f}" y="{TOP - 4}" class="note">{escape(phase.name)}</text>'
            )
    every = frame.label_every()
    for week in range(frame.first, frame.last + 1):
        if (week - frame.first) % every == 0:
            out.append(
                f'<text x="{frame.x(week):.1f}" y="{frame.base + 14:.1f}" '
                f'text-anchor="middle" class="tick">{"W" if week == frame.first else ""}{week}'
                "</text>"
            )
    out.append(
        f'<line x1="{LEFT}" y1="{frame.base:.1f}" x2="{frame.width - RIGHT}" '
        f'y2="{frame.base:.1f}" class="axis"/>'
    )
    return out


def _value_axis(frame: Frame, ticks: Sequence[tuple[float, str]]) -> list[str]:
    out = []
    for value, label in ticks:
        y = frame.y(value)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{frame.width - RIGHT}" y2="{y:.1f}" class="grid"/>'
        )
        out.append(
            f'<text x="{LEFT - 4}" y="{y + 3.5:.1f}" text-anchor="end" class="tick">'
            f"{escape(label)}</text>"
        )
    return out


def volume_chart(
    volumes: Sequence[WeekVolume],
    field: str,
    phases: Sequence[PhaseSpan],
    label: str,
) -> str:
    """Bars of one week's planned volume (``reps`` or ``seconds``), coloured by phase,
    deloads dashed and paler, and a hollow mark for what was logged that week."""
    done_field = f"done_{field}"
    weeks = max(v.week for v in volumes)
    top = max(max(getattr(v, field), getattr(v, done_field) or 0) for v in volumes)
    ticks = nice_ticks(0, top)
    frame = Frame(weeks, 170, 0, ticks[-1])
    colour = {p.name: phase_colour(i) for i, p in enumerate(phases)}
    out = _open(frame, label)
    out += _value_axis(frame, [(t, _num(t)) for t in ticks])
    out += _week_axis(frame, [v.week for v in volumes if v.deload], phases)
    bar = frame.slot * 0.66
    for v in volumes:
        value = getattr(v, field)
        y = frame.y(value)
        x = frame.x(v.week) - bar / 2
        kind = ' class="bar-deload"' if v.deload else ""
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{frame.base - y:.1f}" '
            f'fill="{colour[v.phase]}"{kind}/>'
        )
        if frame.slot >= 30 and value:
            out.append(
                f'<text x="{frame.x(v.week):.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'class="value">{value}</text>'
            )
        done = getattr(v, done_field)
        if done is not None:
            out.append(_done_mark(frame.x(v.week), frame.y(done)))
    out.append("</svg>")
    return "".join(out)


def _done_mark(x: float, y: float) -> str:
    return (
        f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" class="done" '
        f'stroke="{DONE_COLOUR}"/>'
    )


def progression_chart(
    progression: Progression,
    weeks: int,
    deloads: Sequence[int],
    phases: Sequence[PhaseSpan],
    ladder: tuple[str, ...],
    units: str,
    small: bool = False,
) -> str:
    """One exercise's charted dose per week: planned as a line of dots labelled sets x
    amount, logged as hollow squares on a dashed line. A ``small`` chart (for an exercise
    in the plan a week or two) is a third as wide and shows only its weeks and one either
    side, so several fit in one row."""
    planned = [(p.week, progression.planned_value(p, ladder), p) for p in progression.points]
    done = [
        (p.week, value)
        for p in progression.points
        if (value := progression.done_value(p, ladder)) is not None
    ]
    values = [v for _, v, _ in planned] + [v for _, v in done]
    if progression.metric == "band":
        low_level, high_level = int(min(values)), int(max(values))
        ticks = [
            (float(level), ladder[level - 1] if 0 < level <= len(ladder) else "?")
            for level in range(max(1, low_level), high_level + 1)
        ]
        low, high = low_level - 0.5, high_level + 0.5
    else:
        spread = max(values) - min(values)
        pad = max(spread * 0.25, max(values) * 0.08, 1)
        steps = nice_ticks(max(0.0, min(values) - pad), max(values) + pad, 3)
        suffix = f" {units}" if progression.metric == "load" else ""
        ticks = [(t, _num(t) + suffix) for t in steps]
        low, high = steps[0], steps[-1]
    if small:
        first = max(1, progression.points[0].week - 1)
        last = min(weeks, progression.points[-1].week + 1)
        frame = Frame(last - first + 1, 124, low, high, SMALL_WIDTH, first)
    else:
        frame = Frame(weeks, 124, low, high)
    label = f"{progression.name}: {progression.metric} per week"
    out = _open(frame, label)
    out += _value_axis(frame, ticks)
    out += _week_axis(frame, deloads, phases)
    out += _polylines(frame, [(w, v) for w, v, _ in planned], "planned")
    out += _polylines(frame, done, "done-line")
    show_labels = frame.slot >= 26
    for week, value, point in planned:
        x, y = frame.x(week), frame.y(value)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="planned-dot"/>')
        if show_labels:
            out.append(
                f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" class="value">'
                f"{escape(amount_text(point.planned))}</text>"
            )
    out += [_done_mark(frame.x(w), frame.y(v)) for w, v in done]
    out.append("</svg>")
    return "".join(out)


def _polylines(frame: Frame, points: Sequence[tuple[int, float]], css: str) -> list[str]:
    """One polyline per run of consecutive weeks: no line is drawn across a gap."""
    runs: list[list[tuple[int, float]]] = []
    for week, value in points:
        if runs and runs[-1][-1][0] == week - 1:
            runs[-1].append((week, value))
        else:
            runs.append([(week, value)])
    return [
        f'<polyline points="{" ".join(f"{frame.x(w):.1f},{frame.y(v):.1f}" for w, v in run)}" '
        f'class="{css}"/>'
        for run in runs
        if len(run) > 1
    ]
