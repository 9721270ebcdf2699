"""Missed sessions (pure): a session dated before today with no log is **missed**, never
"done as prescribed", unless it waits in an open pause the person asked for; a session the
person recorded with ``planner skip`` is missed on purpose (the same for training: no
evidence; the views show it apart).

What follows from it: a week with every session missed repeats its dose (the next week
asks for no more than the missed week did, and the phase gets one week more, so the plan
does not skip ahead); a missed session breaks "sessions in a row done in full" (2-for-2);
and a missed week never counts towards the clean week that lifts a safety stop (see
:mod:`planner.training.safety_state`). A missed session never makes a dose rise.
"""

import datetime as dt
from collections.abc import Iterable

from planner.models.adapt import Adjustment
from planner.models.common import EntryKey
from planner.models.log import LogEntry
from planner.models.plan import Plan, Session
from planner.plan.adjustments import REPEAT_TAIL
from planner.training.evidence import Evidence, dose_limits
from planner.training.week_inputs import Outcome, WeekInputs, adjustment
from planner.wording.life import missed_slots as missed_of

# The rule of the ``extend`` a fully missed week gets: it is no extra week for unmet goals
# (it does not count towards ``max_extensions``) and lengthens its phase wherever it falls
# (see planner.plan.adjustments).
REPEAT_RULE = "week {week}" + REPEAT_TAIL


def missed_slots(plan: Plan, entries: Iterable[LogEntry], today: dt.date) -> frozenset[str]:
    """Sessions that are missed on ``today``: not logged, and skipped or dated before today,
    and not waiting in an open pause (those have not happened yet; they move on resume)."""
    return missed_of(plan, (e.slot for e in entries), today)


def week_missed(plan: Plan, missed: frozenset[str], week: int) -> bool:
    """Whether every session of plan ``week`` is missed (or skipped)."""
    sessions = [s for s in plan.sessions if s.week == week]
    return bool(sessions) and all(s.slot in missed for s in sessions)


def is_repeat(adjustment: Adjustment) -> bool:
    """Whether an adjustment is the repeat of a fully missed week."""
    return adjustment.kind == "extend" and adjustment.rule.endswith(REPEAT_TAIL)


def repeated_weeks(adjustments: Iterable[Adjustment]) -> frozenset[int]:
    """The plan weeks that were missed and repeated (the week before each repeat)."""
    return frozenset(a.week - 1 for a in adjustments if is_repeat(a))


def _has_entry(session: Session, key: EntryKey) -> bool:
    phase, index = key
    return session.phase == phase and any(i == index for i, _ in session.entries())


def after_missed(
    plan: Plan, missed: frozenset[str], key: EntryKey, evidence: list[Evidence], before: int
) -> list[Evidence]:
    """``evidence`` of an entry logged after its latest week missed in full before week
    ``before`` (that had the entry): a missed week breaks "sessions in a row done in full".
    A session missed in a week otherwise done leaves the row as today's rules count it
    (only logged sessions are in it, so the missed one never counts as done)."""
    gaps = [
        (s.week, s.index)
        for s in plan.sessions
        if s.week < before and _has_entry(s, key) and week_missed(plan, missed, s.week)
    ]
    if not gaps:
        return evidence
    last = max(gaps)
    return [e for e in evidence if (e.session.week, e.session.index) > last]


def repeat_missed(inputs: WeekInputs, phase: str) -> Outcome:
    """The week before the one decided was missed in full: repeat it. An ``extend`` makes
    its phase one week longer (the next phase waits), and each entry is held at no more
    than the missed week asked for (see :func:`missed_week_limits`)."""
    week = inputs.week
    repeat = adjustment(
        week,
        "extend",
        REPEAT_RULE.format(week=week - 1),
        f"no session of week {week - 1} was done, so week {week} asks for no more than it "
        f"did and the {phase} phase lasts a week longer.",
        phase=phase,
    )
    return Outcome((repeat,), info=(f"week {week - 1} was missed: it is repeated",))


def missed_week_limits(inputs: WeekInputs, key: EntryKey) -> dict[str, object]:
    """The most an entry may ask for after a fully missed week: its dose in that week (a
    deload week aside, which is lighter on purpose); no limits when the week before was
    not missed in full."""
    week = inputs.week - 1
    if not week_missed(inputs.plan, inputs.missed, week):
        return {}
    phase, index = key
    for session in inputs.plan.sessions:
        if session.week != week or session.phase != phase or session.deload:
            continue
        rx = session.of_entry(index)
        if rx is not None:
            return dose_limits(rx)
    return {}
