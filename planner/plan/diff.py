"""What adapt changed in the sessions ahead, session by session, with the rule behind it."""

import datetime as dt
from dataclasses import dataclass

from planner.models.adapt import Adjustment
from planner.models.plan import Plan, Prescription, Session
from planner.wording.plan import dose_text


@dataclass(frozen=True, slots=True)
class Change:
    """One future session that adapt changed: its slot, date and what changed."""

    slot: str
    date: dt.date
    lines: tuple[str, ...]


def _rx_line(rx: Prescription) -> str:
    return f"{rx.name}: {dose_text(rx)}"


def diff_sessions(
    old: Plan, new: Plan, week: int, decided: tuple[Adjustment, ...]
) -> tuple[Change, ...]:
    """Each future session that changed, with the changed exercises and the rule behind it."""
    rules = {a.key: a.rule for a in decided if a.key is not None}
    wide = [a for a in decided if a.key is None]
    plan_wide = _cause(wide)
    before = {s.slot: s for s in old.sessions if s.week >= week}
    changes = []
    for session in (s for s in new.sessions if s.week >= week):
        was = before.pop(session.slot, None)
        if was == session:
            continue
        lines: list[str] = []
        if was is None:
            # Only an extra week of a phase makes the plan longer; a safety stop or a
            # deload in the same run does not, so it is not named as the cause.
            why = _cause(wide, ("extend", "review"), session.phase)
            lines.append(f"new session in the {session.phase} phase  [{why}]")
        elif was.phase != session.phase or was.deload != session.deload:
            why = _cause(wide, _SHIFTS[session.paused] if was.phase != session.phase else ())
            if was.deload != session.deload and was.phase == session.phase:
                why = _cause(wide, ("deload",))
            lines.append(f"now {_kind(session)}, was {_kind(was)}  [{why}]")
        if was is not None and was.phase == session.phase:
            # Paired by entry: with training days the same slot may hold other entries.
            olds = dict(was.entries())
            for index, b in session.entries():
                a = olds.get(index)
                if a is None:
                    lines.append(f"{_rx_line(b)} added  [{plan_wide}]")
                elif _rx_line(a) != _rx_line(b):
                    why = rules.get((session.phase, index), plan_wide)
                    if was.paused and not session.paused:
                        # Not the rule's doing alone: the held dose it replaces has ended.
                        why = f"{why}; the safety stop is lifted, so it is no longer held"
                    after = dose_text(b) if a.name == b.name else _rx_line(b)
                    lines.append(f"{_rx_line(a)} -> {after}  [{why}]")
        changes.append(Change(session.slot, session.date, tuple(lines) or ("notes updated",)))
    changes += [Change(slot, s.date, ("dropped",)) for slot, s in before.items()]
    return tuple(changes)


# What moves a session into another phase: a stop holds the phase in progress (the
# session is held), an extra week of a phase pushes the next one later (it is not).
_SHIFTS: dict[bool, tuple[str, ...]] = {True: ("stop",), False: ("extend", "review", "resume")}


def _cause(wide: list[Adjustment], kinds: tuple[str, ...] = (), phase: str | None = None) -> str:
    """The rule of the plan-wide adjustment behind a change: the first of ``kinds`` (of
    ``phase`` where given), else the first plan-wide one there is."""
    for a in wide:
        if a.kind in kinds and (phase is None or a.phase in (None, phase)):
            return a.rule
    for a in wide:
        if a.kind in kinds:
            return a.rule
    return wide[0].rule if wide else "follows from the changes above"


def _kind(session: Session) -> str:
    return f"{session.phase}{' deload' if session.deload else ''} week"
