"""The training log judged against the plan (pure), grouped the ways the adapt rules read
it: per exercise slot, per week, weekly pain means and red-flag signs."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from planner.models.adapt import AdaptSettings
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.verdict import Mornings, Verdict, judge

Key = tuple[str, int]  # (phase, exercise slot in its sessions)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One logged exercise, where it sits in the plan and what it says."""

    session: Session
    rx: Prescription
    entry: LogEntry
    verdict: Verdict


def mornings_of(checkins: dict[dt.date, Checkin], day: dt.date) -> Mornings:
    before = next(
        (checkins[d].morning_pain for k in range(8) if (d := day - dt.timedelta(k)) in checkins),
        None,
    )
    after = checkins.get(day + dt.timedelta(1))
    return Mornings(before, None if after is None else after.morning_pain)


class JudgedLog:
    """The log judged against the plan, grouped the ways the rules need it."""

    def __init__(
        self,
        plan: Plan,
        entries: Iterable[LogEntry],
        checkins: Iterable[Checkin],
        settings: AdaptSettings,
    ) -> None:
        self.plan = plan
        self.checkins = {c.date: c for c in checkins}
        by_slot = {s.slot: s for s in plan.sessions}
        self.by_track: dict[Key, list[Evidence]] = defaultdict(list)
        self.by_week: dict[int, list[Evidence]] = defaultdict(list)
        ladder = plan.band_ladder()
        for entry in entries:
            session = by_slot.get(entry.slot)
            if session is None:
                continue  # the plan was shortened after this was logged
            index = next(
                (i for i, rx in enumerate(session.exercises) if rx.exercise == entry.exercise),
                None,
            )
            if index is None:
                continue
            rx = session.exercises[index]
            mornings = mornings_of(self.checkins, session.date)
            verdict = judge(rx, entry, session.rpe[1], mornings, settings, ladder)
            ev = Evidence(session, rx, entry, verdict)
            self.by_track[(session.phase, index)].append(ev)
            self.by_week[session.week].append(ev)
        for evidence in self.by_track.values():
            evidence.sort(key=lambda e: (e.session.date, e.session.index))

    def week_pain(self, week: int) -> tuple[float | None, float | None]:
        """Mean pain during exercise and mean morning pain in a plan week."""
        during = [e.entry.pain for e in self.by_week.get(week, [])]
        days = [s.date for s in self.plan.sessions if s.week == week]
        mornings: list[int] = []
        if days:
            end = days[0] + dt.timedelta(7)
            mornings = [c.morning_pain for d, c in self.checkins.items() if days[0] <= d < end]
        return (mean(during) if during else None, mean(mornings) if mornings else None)

    def red_flags(self, week: int, today: dt.date, settings: AdaptSettings) -> list[str]:
        """Red-flag signs logged in ``week`` or checked in since it began, in words."""
        found = [
            f"pain {e.entry.pain}/10 during {e.entry.slot}"
            for e in self.by_week.get(week, [])
            if e.verdict.red_flag
        ]
        days = [s.date for s in self.plan.sessions if s.week == week]
        since = days[0] if days else today
        for day, c in sorted(self.checkins.items()):
            if since <= day <= today:
                if c.morning_pain >= settings.red_flag_pain:
                    found.append(f"morning pain {c.morning_pain}/10 on {day}")
                found += [f"{flag.replace('-', ' ')} on {day}" for flag in c.red_flags]
        return found


def streak(evidence: list[Evidence], kinds: tuple[str, ...]) -> int:
    """How many of the latest entries in a row have a verdict in ``kinds``."""
    count = 0
    for e in reversed(evidence):
        if e.verdict.kind not in kinds:
            break
        count += 1
    return count
