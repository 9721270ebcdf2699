"""Terminal views of the training log: what was done against what was prescribed, and how
pain and each exercise moved over the weeks."""

from collections import defaultdict
from collections.abc import Sequence
from statistics import mean

from planner.errors import escape_controls
from planner.models.log import Checkin, Clearance, LogEntry, Logged
from planner.models.plan import Plan
from planner.wording.plan import dose_text, fmt_number

_BARS = "▁▂▃▄▅▆▇█"


def done_text(e: LogEntry) -> str:
    """``15,15,12 @ 20 kg``: what a log entry says was done."""
    amounts = ",".join(map(str, e.done))
    extra = f" @ {fmt_number(e.load)} {e.unit}" if e.load is not None else ""
    extra += f" @ {e.band}" if e.band else ""
    return amounts + extra


def history_table(
    plan: Plan, log: list[Logged], checkins: list[Checkin], clearances: Sequence[Clearance] = ()
) -> str:
    """Every logged exercise beside its prescription, then every morning check-in (several
    a day are all shown) and every clinician clearance."""
    if not log and not checkins and not clearances:
        return "nothing logged yet; log a session with 'planner log NAME --session W1S1'"
    sessions = {s.slot: s for s in plan.sessions}
    rows = [("slot", "date", "exercise", "prescribed", "done", "pain", "rpe", "note")]
    for item in log:
        e = item.entry
        session = sessions.get(e.slot)
        rx = (
            next((r for r in session.exercises if r.exercise == e.exercise), None)
            if session
            else None
        )
        rows.append(
            (
                e.slot,
                # The day it was logged for: a later revision may have moved the session.
                str(e.date or (session.date if session else "-")),
                e.exercise,
                dose_text(rx) if rx else "(not in the plan now)",
                done_text(item.entry),
                str(e.pain),
                "-" if e.rpe is None else fmt_number(e.rpe),
                ("(replaced) " if item.replaced else "")
                + ("form broke; " if e.form_broke else "")
                # Escaped: a store written before notes were checked may hold a control
                # character, which must not reach the terminal as it is.
                + escape_controls(e.note),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    ]
    if checkins:
        lines += ["", "morning check-ins:"]
        for c in checkins:
            flags = f"  red flags: {', '.join(c.red_flags)}" if c.red_flags else ""
            lines.append(f"  {c.date}  pain {c.morning_pain}/10{flags}")
    if clearances:
        lines += ["", "clinician clearances:"]
        lines += [
            f"  {c.date}  {escape_controls(c.note)}"
            + ("  (go-ahead for the next phase)" if c.kind == "phase" else "")
            for c in clearances
        ]
    return "\n".join(line.rstrip() for line in lines)


def _bar(value: float) -> str:
    """A 0-10 value as a ten-cell bar."""
    full = round(value)
    return "█" * full + "·" * (10 - full)


def _spark(values: list[float]) -> str:
    top = max(values) or 1.0
    return "".join(_BARS[min(7, int(v / top * 7))] for v in values)


def progress_view(plan: Plan, log: list[Logged], checkins: list[Checkin]) -> str:
    """Weekly pain bars (mean and worst) and each exercise's logged dose week by week, with
    a sparkline; ``log`` may hold replaced entries (they count for the worst pain only)."""
    if not log and not checkins:
        return "nothing logged yet; log a session with 'planner log NAME --session W1S1'"
    sessions = {s.slot: s for s in plan.sessions}
    week_of = {s.date: s.week for s in plan.sessions}
    during: dict[int, list[int]] = defaultdict(list)
    worst: dict[int, int] = {}
    by_exercise: dict[str, dict[int, Logged]] = defaultdict(dict)
    names = {rx.exercise: rx.name for s in plan.sessions for rx in s.exercises}
    for item in log:
        session = sessions.get(item.entry.slot)
        if session is None:
            continue
        # The worst pain counts every entry, also one a later entry replaced: pain once
        # reported is shown back. The mean and the exercises use the entries that count.
        worst[session.week] = max(item.entry.pain, worst.get(session.week, 0))
        if item.replaced:
            continue
        during[session.week].append(item.entry.pain)
        by_exercise[item.entry.exercise][session.week] = item
    morning: dict[int, list[int]] = defaultdict(list)
    for c in checkins:
        started = [w for d, w in week_of.items() if d <= c.date]
        if started:
            morning[max(started)].append(c.morning_pain)
    lines = [
        "pain by week (0-10; bar = mean)  during                   mornings",
        "                                 mean  worst              mean  worst",
    ]
    for week in sorted(set(during) | set(morning)):
        cells = []
        mornings = morning.get(week)
        for values, top in (
            (during.get(week), worst.get(week)),
            (mornings, max(mornings) if mornings else None),
        ):
            cells.append(
                f"{_bar(mean(values))} {mean(values):4.1f} {top:>4}" if values else " " * 20
            )
        lines.append(f"  week {week:<3}                    {cells[0]}   {cells[1]}")
    if by_exercise:
        lines += ["", "exercises, last logged session of each week (reps or seconds per set):"]
        width = max(len(names.get(x, x)) for x in by_exercise)
        for exercise, weeks in by_exercise.items():
            cells = [f"W{w} {done_text(weeks[w].entry)}" for w in sorted(weeks)]
            totals = [float(sum(weeks[w].entry.done)) for w in sorted(weeks)]
            lines.append(
                f"  {names.get(exercise, exercise):<{width}}  {_spark(totals)}  {' | '.join(cells)}"
            )
    return "\n".join(line.rstrip() for line in lines)
