"""Terminal views of the training log: what was done against what was prescribed, and how
pain and each exercise moved over the weeks."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Literal, NamedTuple

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


# Pain from which a view marks a number (a terminal shows it in colour): noticeable, high.
PAIN_NOTICE = 3
PAIN_HIGH = 6
# The width every terminal view fits.
WIDTH = 80

Tone = Literal["", "notice", "high", "flag"]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a terminal view, plain, with what a terminal may colour: ``tone`` for
    the characters ``span`` covers (None: the whole line)."""

    text: str
    tone: Tone = ""
    span: tuple[int, int] | None = None


def pain_tone(pain: int, red_flag_pain: int | None = None) -> Tone:
    """How a pain number is marked: a red flag, high (6+), noticeable (3+) or not."""
    if red_flag_pain is not None and pain >= red_flag_pain:
        return "flag"
    if pain >= PAIN_HIGH:
        return "high"
    return "notice" if pain >= PAIN_NOTICE else ""


def plain(lines: Sequence[Line]) -> str:
    """The lines as plain text."""
    return "\n".join(line.text for line in lines)


def cells(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` (a word longer than that is cut, with an ellipsis)."""
    import textwrap

    parts = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    return [part if len(part) <= width else part[: width - 1] + "…" for part in parts]


def column_widths(
    rows: Sequence[Sequence[str]], widest: Sequence[int], indent: str = ""
) -> list[int]:
    """Widths for columns at most ``widest`` wide, each as wide as its widest cell; the
    last column takes at most what is left of :data:`WIDTH`."""
    widths = [min(cap, max(len(row[i]) for row in rows)) for i, cap in enumerate(widest)]
    used = len(indent) + sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(4, min(widths[-1], WIDTH - used))
    return widths


def table_row(row: Sequence[str], widths: Sequence[int], indent: str = "") -> list[str]:
    """One row in its columns; a cell longer than its column wraps inside it."""
    wrapped = [cells(cell, width) for cell, width in zip(row, widths, strict=True)]
    return [
        (
            indent
            + "  ".join(
                (cell[n] if n < len(cell) else "").ljust(width)
                for cell, width in zip(wrapped, widths, strict=True)
            )
        ).rstrip()
        for n in range(max(map(len, wrapped)))
    ]


def table(rows: Sequence[Sequence[str]], widest: Sequence[int], indent: str = "") -> list[str]:
    """Rows (``rows[0]`` is the header) in columns (see :func:`column_widths`)."""
    widths = column_widths(rows, widest, indent)
    return [line for row in rows for line in table_row(row, widths, indent)]


def ordered(plan: Plan, log: Sequence[Logged]) -> list[Logged]:
    """``log`` in the plan's order: by session, then as the session prescribes its
    exercises (an entry logged again keeps its place, the one it replaced just before it);
    entries for a session or exercise the plan no longer has come after those it has."""
    session_rank = {s.slot: n for n, s in enumerate(plan.sessions)}
    exercise_rank = {
        (s.slot, rx.exercise): n for s in plan.sessions for n, rx in enumerate(s.exercises)
    }
    late = len(plan.sessions)
    first_seen = {id(item): n for n, item in enumerate(log)}
    return sorted(
        log,
        key=lambda item: (
            session_rank.get(item.entry.slot, late),
            item.entry.slot if item.entry.slot not in session_rank else "",
            exercise_rank.get((item.entry.slot, item.entry.exercise), 1000),
            item.entry.exercise,
            item.logged_at,
            first_seen[id(item)],
        ),
    )


def history_lines(
    plan: Plan,
    log: list[Logged],
    checkins: list[Checkin],
    clearances: Sequence[Clearance] = (),
    name: str = "PLAN",
) -> list[Line]:
    """Every logged exercise beside its prescription in the plan's order, session by
    session, with the exercises of a logged session that were not logged shown as skipped;
    then every morning check-in (several a day are all shown) and every clinician
    clearance. Every line fits :data:`WIDTH`."""
    if not log and not checkins and not clearances:
        return _nothing_yet(name)
    lines = _log_lines(plan, log)
    if checkins:
        lines += [Line(""), Line("morning check-ins:")]
        for c in checkins:
            head = f"  {c.date}  pain {c.morning_pain}/10"
            if c.red_flags:
                text = f"{head}  red flags: {', '.join(c.red_flags)}"
                lines += [Line(t, "flag") for t in _wrapped(text, " " * 16)]
            else:
                tone = pain_tone(c.morning_pain)
                lines.append(Line(head, tone, (head.rindex("pain "), len(head)) if tone else None))
    if clearances:
        lines += [Line(""), Line("clinician clearances:")]
        for cl in clearances:
            text = f"  {cl.date}  {escape_controls(cl.note)}" + (
                "  (go-ahead for the next phase)" if cl.kind == "phase" else ""
            )
            lines += [Line(t) for t in _wrapped(text, " " * 14)]
    return lines


def _nothing_yet(name: str) -> list[Line]:
    """What history and progress say before anything is logged, with the plan's name."""
    text = f"nothing logged yet; log a session with 'planner log {name} --session W1S1'"
    return [Line(t) for t in _wrapped(text, "  ")]


def history_table(
    plan: Plan,
    log: list[Logged],
    checkins: list[Checkin],
    clearances: Sequence[Clearance] = (),
    name: str = "PLAN",
) -> str:
    """:func:`history_lines` as plain text."""
    return plain(history_lines(plan, log, checkins, clearances, name))


def _wrapped(text: str, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(
        text, WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    ) or [text]


_HEADER = ("exercise", "prescribed", "done", "pain", "rpe")
# Column caps that add up to 80 with the indent and the gaps between them.
_CAPS = (24, 22, 16, 4, 4)


def _log_lines(plan: Plan, log: list[Logged]) -> list[Line]:
    """The log, session by session in the plan's order (see :func:`history_lines`)."""
    if not log:
        return []
    sessions = {s.slot: s for s in plan.sessions}
    by_slot: dict[str, list[Logged]] = {}
    for item in ordered(plan, log):
        by_slot.setdefault(item.entry.slot, []).append(item)
    # Each row: its cells, how its pain is marked, its note, and the session head above it.
    rows: list[_Row] = []
    for slot, items in by_slot.items():
        session = sessions.get(slot)
        # The day it was logged for: a later revision may have moved the session.
        date = items[-1].entry.date or (session.date if session else None)
        head = f"{slot}  {date:%a} {date}" if date else slot
        prescribed = {rx.exercise: rx for rx in session.exercises} if session else {}
        counted = {i.entry.exercise for i in items if not i.replaced}
        # A note given once for the whole session (log --all-done --note) is shown once.
        notes = {i.entry.note for i in items}
        shared = notes.pop() if len(items) > 1 and len(notes) == 1 else ""
        group: list[_Row] = []
        for rx in prescribed.values():
            group += [
                _row(i, dose_text(rx), plan, bool(shared))
                for i in items
                if i.entry.exercise == rx.exercise
            ]
            if rx.exercise not in counted:
                group.append(_Row((rx.exercise, dose_text(rx), "skipped", "-", "-")))
        group += [
            _row(i, "(not in the plan now)", plan, bool(shared))
            for i in items
            if i.entry.exercise not in prescribed
        ]
        if shared:
            head += "\n" + f"  note: {escape_controls(shared)}"
        rows += [group[0]._replace(head=head), *group[1:]]
    widths = column_widths([_HEADER, *(r.cols for r in rows)], _CAPS, "  ")
    pain_at = 2 + sum(widths[:3]) + 2 * 3
    lines = [Line(text) for text in table_row(_HEADER, widths, "  ")]
    for row in rows:
        if row.head:
            first, *rest = row.head.split("\n")
            lines.append(Line(first))
            lines += [Line(t) for part in rest for t in _wrapped(part, " " * 8)]
        for k, text in enumerate(table_row(row.cols, widths, "  ")):
            cell = text[pain_at : pain_at + widths[3]].rstrip()
            marked = bool(row.tone and k == 0 and cell.strip())
            span = (pain_at + len(cell) - len(cell.lstrip()), pain_at + len(cell))
            lines.append(Line(text, row.tone, span) if marked else Line(text))
        if row.note:
            lines += [Line(t) for t in _wrapped(f"    {row.note}", " " * 6)]
    return lines


class _Row(NamedTuple):
    cols: tuple[str, ...]
    tone: Tone = ""
    note: str = ""
    head: str = ""


def _row(item: Logged, prescribed: str, plan: Plan, shared_note: bool = False) -> _Row:
    """One logged exercise: its cells, how its pain is marked, and its note line."""
    e = item.entry
    note = "; ".join(
        part
        for part in (
            "(replaced by the entry below)" if item.replaced else "",
            "form broke" if e.form_broke else "",
            # Escaped: a store written before notes were checked may hold a control
            # character, which must not reach the terminal as it is.
            "" if shared_note else escape_controls(e.note),
        )
        if part
    )
    cols = (
        e.exercise,
        prescribed,
        done_text(e),
        str(e.pain),
        "-" if e.rpe is None else fmt_number(e.rpe),
    )
    return _Row(cols, pain_tone(e.pain, plan.rules.red_flag_pain), note)


def _bar(value: float) -> str:
    """A 0-10 value as a ten-cell bar."""
    full = round(value)
    return "█" * full + "·" * (10 - full)


def _spark(values: list[float]) -> str:
    top = max(values) or 1.0
    return "".join(_BARS[min(7, int(v / top * 7))] for v in values)


def progress_view(
    plan: Plan, log: list[Logged], checkins: list[Checkin], name: str = "PLAN"
) -> str:
    """:func:`progress_lines` as plain text."""
    return plain(progress_lines(plan, log, checkins, name))


def progress_lines(
    plan: Plan, log: list[Logged], checkins: list[Checkin], name: str = "PLAN"
) -> list[Line]:
    """Weekly pain bars (mean and worst) and each exercise's logged dose week by week, with
    a sparkline; ``log`` may hold replaced entries (they count for the worst pain only).
    Every line fits :data:`WIDTH`."""
    if not log and not checkins:
        return _nothing_yet(name)
    sessions = {s.slot: s for s in plan.sessions}
    week_of = {s.date: s.week for s in plan.sessions}
    during: dict[int, list[int]] = defaultdict(list)
    worst: dict[int, int] = {}
    by_exercise: dict[str, dict[int, Logged]] = defaultdict(dict)
    names = {rx.exercise: rx.name for s in plan.sessions for rx in s.exercises}
    for item in ordered(plan, log):
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
    lines = _week_lines(plan, during, worst, morning)
    lines += _exercise_lines(by_exercise, names)
    return [Line(line.text.rstrip(), line.tone, line.span) for line in lines]


def _week_lines(
    plan: Plan, during: dict[int, list[int]], worst: dict[int, int], morning: dict[int, list[int]]
) -> list[Line]:
    """The pain during the sessions and in the mornings, week by week, as bars."""
    # Columns: the week (30 wide), then for the sessions and for the mornings a cell of a
    # ten-step bar, the mean and the worst (21 wide), three apart.
    cell_head = f"{'':10} {'mean':>4} {'worst':>5}"
    lines = [
        Line(f"{'pain by week (bar = mean)':<30}{'during sessions':<24}mornings"),
        Line(f"{'':30}{cell_head}   {cell_head}"),
    ]
    flag_pain = plan.rules.red_flag_pain
    for week in sorted(set(during) | set(morning)):
        parts = []
        tones: list[Tone] = []
        mornings = morning.get(week)
        for values, top, limit in (
            (during.get(week), worst.get(week), flag_pain),
            (mornings, max(mornings) if mornings else None, None),
        ):
            if values and top is not None:
                parts.append(f"{_bar(mean(values))} {mean(values):4.1f} {top:>5}")
                tones.append(pain_tone(top, limit))
            else:
                parts.append(" " * 21)
                tones.append("")
        text = f"{f'  week {week}':<30}{parts[0]}   {parts[1]}".rstrip()
        # The worst pain of the sessions, else of the mornings, is the number marked.
        marked = next(((n, t) for n, t in enumerate(tones) if t), None)
        if marked is None:
            lines.append(Line(text))
        else:
            at = 30 + 24 * marked[0] + 16
            lines.append(Line(text, marked[1], (at, at + 5)))
    return lines


def _exercise_lines(by_exercise: dict[str, dict[int, Logged]], names: dict[str, str]) -> list[Line]:
    """Each exercise's last logged dose of every week, with a sparkline of the totals."""
    lines: list[Line] = []
    if by_exercise:
        lines += [
            Line(""),
            Line("exercises, last logged session of each week (reps or seconds per set):"),
        ]
        fits = [len(names.get(x, x)) for x in by_exercise if len(names.get(x, x)) <= _NAME]
        width = max(fits, default=0)
        for exercise, weeks in by_exercise.items():
            shown = names.get(exercise, exercise)
            totals = [float(sum(weeks[w].entry.done)) for w in sorted(weeks)]
            if len(shown) > _NAME:
                # A long name gets lines of its own; the numbers go below it.
                lines += [Line(t) for t in _wrapped(f"  {shown}", "    ")]
                shown = ""
            head = f"  {shown:<{width}}  {_spark(totals)}  "
            parts = [f"W{w} {done_text(weeks[w].entry)}" for w in sorted(weeks)]
            lines += [Line(t) for t in _wrapped_after(head, parts)]
    return lines


# The longest exercise name shown on the same line as its numbers in progress.
_NAME = 26


def _wrapped_after(head: str, parts: list[str]) -> list[str]:
    """``head`` then ``parts`` joined by `` | ``, as many on a line as fit :data:`WIDTH`,
    continued under the first part (or a little indented if the head is wide)."""
    indent = " " * (len(head) if len(head) <= WIDTH // 2 else 6)
    lines = [head]
    for part in parts:
        joined = f"{lines[-1]} | {part}" if lines[-1].strip() and lines[-1] != head else None
        if joined is not None and len(joined) <= WIDTH:
            lines[-1] = joined
        elif lines[-1] == head and len(head + part) <= WIDTH:
            lines[-1] = head + part
        else:
            lines.append(indent + part)
    return lines
