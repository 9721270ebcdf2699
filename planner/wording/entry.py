"""The author's words on an exercise (tempo, note) and supersets/circuits, for every output.

The author's note is labelled apart from the planner's own notes (stand-ins, deloads,
adaptations), so a reader always knows who says what.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from planner.models.plan import Prescription

PROGRAM_NOTE = "Program note"


def author_lines(rx: Prescription) -> list[str]:
    """``Tempo 3-1-5: 3 s down, ...`` and ``Program note: ...``, those that apply."""
    lines = [] if rx.tempo is None else [rx.tempo.text()]
    if rx.note is not None:
        lines.append(f"{PROGRAM_NOTE}: {rx.note}")
    return lines


def short_extras(rx: Prescription) -> str:
    """``, tempo 3-1-5, note: ...`` for one-line lists (warm-up, terminal tables)."""
    parts = [] if rx.tempo is None else [f"tempo {rx.tempo.notation()}"]
    if rx.note is not None:
        parts.append(f"{PROGRAM_NOTE.lower()}: {rx.note}")
    return "".join(f", {p}" for p in parts)


@dataclass(frozen=True, slots=True)
class Run:
    """Exercises done together: one on its own, or a superset/circuit (``label`` set).

    ``first`` is the 1-based number of the first exercise in the session's list.
    """

    label: str | None
    first: int
    exercises: tuple[Prescription, ...]


def runs(exercises: Sequence[Prescription]) -> list[Run]:
    """The session's exercises cut into runs: neighbours with the same group are one run.

    A label left with one exercise (its partner is not in the plan that week, say) is no
    superset and reads as a plain exercise with its own rest.
    """
    out: list[Run] = []
    for number, rx in enumerate(exercises, start=1):
        last = out[-1] if out else None
        if rx.group is not None and last is not None and last.label == rx.group:
            out[-1] = Run(last.label, last.first, (*last.exercises, rx))
        else:
            out.append(Run(rx.group, number, (rx,)))
    return [
        r if r.label is None or len(r.exercises) > 1 else Run(None, r.first, r.exercises)
        for r in out
    ]


def marks(exercises: Sequence[Prescription]) -> list[tuple[Run, str]]:
    """Each run with the number it is listed under, and each exercise's own mark: a
    superset or circuit is one number and its exercises 1a, 1b, ..., so where the group
    ends is plain in any layout (a calendar's plain text included)."""
    out = []
    for number, run in enumerate(runs(exercises), start=1):
        out.append((run, str(number)))
    return out


def member_mark(run_number: str, run: Run, i: int) -> str:
    """The mark of the ``i``-th exercise of a run listed as ``run_number``."""
    return run_number if run.label is None else f"{run_number}{chr(ord('a') + i)}"


def round_rest(run: Run) -> int:
    """The rest after each round of a group: the longest rest of its exercises."""
    return max(rx.rest for rx in run.exercises)


def group_heading(run: Run) -> str:
    """``Superset A: 3 rounds back to back, rest 90 s after each round``."""
    kind = "Superset" if len(run.exercises) == 2 else "Circuit"
    sets = [rx.sets for rx in run.exercises]
    rounds = max(sets)
    rest = round_rest(run)
    text = f"{kind} {run.label}: {rounds} round{'s' if rounds > 1 else ''} back to back"
    text += f", rest {rest} s after each round" if rest else ", no rest between rounds"
    if len(set(sets)) > 1:
        # Rounds follow the exercise with the most sets; the others stop when theirs run out.
        text += "; an exercise with fewer sets sits out the last rounds"
    return text
