"""The numbers behind the printable plan's charts (pure): weekly volume, and each exercise's
dose week by week, planned and, where logged, done.

Shared by the HTML charts and the Markdown tables, so both show the same figures.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean
from typing import Literal

from planner.models.log import LogEntry
from planner.models.plan import Plan, Prescription

Metric = Literal["load", "band", "reps", "seconds", "steps"]


def metric_caption(metric: Metric, units: str) -> str:
    """What a progression chart's axis shows, in words."""
    return {
        "load": f"load ({units})",
        "band": "band colour",
        "reps": "reps per set",
        "seconds": "seconds held per set",
        "steps": "steps per set",
    }[metric]


def logged_by_slot(entries: Iterable[LogEntry]) -> dict[tuple[str, str], LogEntry]:
    """The log keyed by (session slot, exercise id); a later entry wins, as in the store."""
    return {(e.slot, e.exercise): e for e in entries}


def _sides(rx: Prescription) -> int:
    return 2 if rx.per_side else 1


@dataclass(frozen=True, slots=True)
class WeekVolume:
    """One week's main-exercise volume (both sides counted) and, if logged, what was done."""

    week: int
    phase: str
    deload: bool
    sets: int
    reps: int
    seconds: int
    done_reps: int | None = None
    done_seconds: int | None = None


def weekly_volume(plan: Plan, entries: Iterable[LogEntry] = ()) -> list[WeekVolume]:
    """Planned repetitions (steps count as repetitions) and seconds held per week.

    Reps and seconds are kept apart because adding one to the other means nothing. The done
    figures count only the week's logged exercises; ``None`` means nothing was logged.
    """
    logged = logged_by_slot(entries)
    weeks: dict[int, dict[str, int]] = {}
    meta: dict[int, tuple[str, bool]] = {}
    for session in plan.sessions:
        meta.setdefault(session.week, (session.phase, session.deload))
        sums = weeks.setdefault(
            session.week, {"sets": 0, "reps": 0, "seconds": 0, "dr": -1, "ds": -1}
        )
        for rx in session.exercises:
            held = rx.seconds is not None
            amount = rx.seconds if held else (rx.reps or rx.steps or 0)
            sums["sets"] += rx.sets
            sums["seconds" if held else "reps"] += rx.sets * (amount or 0) * _sides(rx)
            entry = logged.get((session.slot, rx.exercise))
            if entry is not None:
                key = "ds" if held else "dr"
                sums[key] = max(sums[key], 0) + sum(entry.done) * _sides(rx)
    return [
        WeekVolume(
            week=week,
            phase=meta[week][0],
            deload=meta[week][1],
            sets=s["sets"],
            reps=s["reps"],
            seconds=s["seconds"],
            done_reps=None if s["dr"] < 0 else s["dr"],
            done_seconds=None if s["ds"] < 0 else s["ds"],
        )
        for week, s in sorted(weeks.items())
    ]


@dataclass(frozen=True, slots=True)
class Point:
    """One week of an exercise: the first session's prescription and the week's last log."""

    week: int
    deload: bool
    planned: Prescription
    done: LogEntry | None


@dataclass(frozen=True, slots=True)
class Progression:
    """One exercise's dose over the weeks it is in the plan.

    ``metric`` is what climbs and is charted: the load if the exercise is loaded every week,
    else the band if it always has one, else the reps, seconds or steps per set. Sets x
    amount label every point.
    """

    exercise: str
    name: str
    metric: Metric
    points: tuple[Point, ...]

    def planned_value(self, point: Point, ladder: tuple[str, ...]) -> float:
        """The charted value of the prescription (a band counts its place on the ladder)."""
        return _value(self.metric, point.planned, ladder)

    def done_value(self, point: Point, ladder: tuple[str, ...]) -> float | None:
        """The charted value of what was logged, or None if the week has no log of it.

        Per-set amounts are averaged; a load or band left out of the log counts as done
        as prescribed, the same reading ``planner log`` gives it.
        """
        e = point.done
        if e is None:
            return None
        if self.metric == "load":
            return e.load if e.load is not None else point.planned.load
        if self.metric == "band":
            return _band_level(e.band or point.planned.band, ladder)
        return round(mean(e.done), 1)


def _band_level(band: str | None, ladder: tuple[str, ...]) -> float:
    return float(ladder.index(band) + 1) if band in ladder else 0.0


def _value(metric: Metric, rx: Prescription, ladder: tuple[str, ...]) -> float:
    if metric == "load":
        return rx.load or 0.0
    if metric == "band":
        return _band_level(rx.band, ladder)
    return float(getattr(rx, metric) or 0)


def _metric(prescriptions: list[Prescription]) -> Metric:
    # Only a dose every week of which has a load (or band) can be charted by it.
    if all(rx.load is not None for rx in prescriptions):
        return "load"
    if all(rx.band is not None for rx in prescriptions):
        return "band"
    first = prescriptions[0]
    if first.seconds is not None:
        return "seconds"
    return "steps" if first.steps is not None else "reps"


def amount_text(rx: Prescription) -> str:
    """``3x10`` (sets x reps, seconds or steps): the label of a charted point."""
    amount = rx.seconds if rx.seconds is not None else (rx.reps or rx.steps)
    return f"{rx.sets}x{amount}"


def progressions(plan: Plan, entries: Iterable[LogEntry] = ()) -> list[Progression]:
    """Every main exercise's progression, in order of first appearance in the plan."""
    logged = logged_by_slot(entries)
    points: dict[str, dict[int, Point]] = {}
    names: dict[str, str] = {}
    for session in plan.sessions:
        for rx in session.exercises:
            names.setdefault(rx.exercise, rx.name)
            weeks = points.setdefault(rx.exercise, {})
            done = logged.get((session.slot, rx.exercise))
            known = weeks.get(session.week)
            if known is None:
                weeks[session.week] = Point(session.week, session.deload, rx, done)
            elif done is not None:
                weeks[session.week] = Point(known.week, known.deload, known.planned, done)
    return [
        Progression(
            exercise,
            names[exercise],
            _metric([p.planned for p in weeks.values()]),
            tuple(weeks[w] for w in sorted(weeks)),
        )
        for exercise, weeks in points.items()
    ]
