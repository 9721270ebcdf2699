"""The training log judged against the plan (pure), grouped the ways the adapt rules read
it: per exercise entry of a phase, per week, and weekly pain (red flags live in
:mod:`planner.training.safety_state`)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from planner.models.adapt import AdaptSettings
from planner.models.common import EntryKey
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.training.logbook import amount_of
from planner.training.verdict import Mornings, Verdict, judge


@dataclass(frozen=True, slots=True)
class Evidence:
    """One logged exercise, where it sits in the plan and what it says."""

    session: Session
    rx: Prescription
    entry: LogEntry
    verdict: Verdict


def worst_mornings(checkins: Iterable[Checkin]) -> dict[dt.date, int]:
    """The worst morning pain of each day (a day may have several check-ins)."""
    worst: dict[dt.date, int] = {}
    for c in checkins:
        worst[c.date] = max(c.morning_pain, worst.get(c.date, 0))
    return worst


def mornings_of(mornings: dict[dt.date, int], day: dt.date) -> Mornings:
    """The baseline (the latest morning on or up to a week before ``day``) and the next
    morning, for a session on ``day``."""
    before = next(
        (mornings[d] for k in range(8) if (d := day - dt.timedelta(k)) in mornings),
        None,
    )
    return Mornings(before, mornings.get(day + dt.timedelta(1)))


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
        self.checkins = list(checkins)
        self.mornings = worst_mornings(self.checkins)
        by_slot = {s.slot: s for s in plan.sessions}
        self.by_entry: dict[EntryKey, list[Evidence]] = defaultdict(list)
        self.by_week: dict[int, list[Evidence]] = defaultdict(list)
        # Pain of every entry by plan week, also for exercises that have left their session
        # since (options changed): that pain was felt all the same.
        self.pain_by_week: dict[int, list[int]] = defaultdict(list)
        ladder = plan.band_ladder()
        for entry in entries:
            session = by_slot.get(entry.slot)
            if session is None:
                continue  # the plan was shortened after this was logged
            self.pain_by_week[session.week].append(entry.pain)
            # By the entry of the phase the exercise is (with training days a session
            # holds only some entries, so its position says nothing).
            index, rx = next(
                ((i, rx) for i, rx in session.entries() if rx.exercise == entry.exercise),
                (None, None),
            )
            if index is None or rx is None:
                continue
            mornings = mornings_of(self.mornings, session.date)
            verdict = judge(rx, entry, session.rpe[1], mornings, settings, ladder)
            ev = Evidence(session, rx, entry, verdict)
            if not rx.pinned:
                # A week the template gives to another exercise says nothing about the
                # entry's own (its pain still counts for the week and the safety state).
                self.by_entry[(session.phase, index)].append(ev)
            self.by_week[session.week].append(ev)
        for evidence in self.by_entry.values():
            evidence.sort(key=lambda e: (e.session.date, e.session.index))

    def week_window(self, week: int) -> tuple[dt.date, dt.date] | None:
        """The seven days of a plan week, from its first session (end exclusive)."""
        days = [s.date for s in self.plan.sessions if s.week == week]
        return (days[0], days[0] + dt.timedelta(7)) if days else None

    def week_mornings(self, week: int) -> list[Checkin]:
        """Every check-in made in a plan week."""
        window = self.week_window(week)
        if window is None:
            return []
        return [c for c in self.checkins if window[0] <= c.date < window[1]]

    def week_pain(self, week: int) -> tuple[float | None, float | None]:
        """Mean pain during exercise and mean morning pain in a plan week."""
        during = self.pain_by_week.get(week, [])
        mornings = [c.morning_pain for c in self.week_mornings(week)]
        return (mean(during) if during else None, mean(mornings) if mornings else None)

    def week_worst(self, week: int) -> int | None:
        """The worst pain during exercise logged in a plan week."""
        return max(self.pain_by_week.get(week, []), default=None)


def streak(evidence: list[Evidence], kinds: tuple[str, ...]) -> int:
    """How many of the latest entries in a row have a verdict in ``kinds``."""
    count = 0
    for e in reversed(evidence):
        if e.verdict.kind not in kinds:
            break
        count += 1
    return count


def band_rank(band: str | None, ladder: tuple[str, ...]) -> int:
    """A band's place on the ladder (-1: none, or not on it)."""
    return ladder.index(band) if band in ladder else -1


def managed(rx: Prescription, entry: LogEntry, ladder: tuple[str, ...]) -> Prescription:
    """What the person actually did of ``rx``, never more than it asked for: the sets and
    the best set they logged, the load and the band they used."""
    done = max(1, *entry.done)
    amount = min(amount_of(rx), done)
    load = rx.load
    if load is not None and entry.load is not None:
        load = min(load, entry.load)
    band = rx.band
    if band is not None and entry.band is not None:
        band = min(band, entry.band, key=lambda b: band_rank(b, ladder))
    return rx.model_copy(
        update={
            "sets": max(1, min(rx.sets, len(entry.done))),
            "reps": amount if rx.reps is not None else None,
            "steps": amount if rx.steps is not None else None,
            "seconds": amount if rx.seconds is not None else None,
            "load": load,
            "band": band,
        }
    )


def managed_limits(last: Evidence, ladder: tuple[str, ...]) -> dict[str, object]:
    """What the person actually did last time (never more than was prescribed) as the
    most the entry may ask for: sets, reps (steps) or seconds, load and band."""
    return dose_limits(managed(last.rx, last.entry, ladder))


def own_streak(evidence: list[Evidence]) -> int:
    """Step-backs in a row caused by the exercise itself (pain during it, broken form),
    not by a worse morning, which concerns the whole session: only those call for a swap."""
    count = 0
    for e in reversed(evidence):
        if e.verdict.kind != "regress" or e.verdict.morning_rose:
            break
        count += 1
    return count


def dose_limits(rx: Prescription) -> dict[str, object]:
    """A prescription as the most an entry may ask for (the fields of an adjustment)."""
    limits: dict[str, object] = {"sets": rx.sets}
    if rx.seconds is not None:
        limits["seconds"] = rx.seconds
    elif (rx.reps or rx.steps) is not None:
        limits["count"] = rx.reps or rx.steps
    if rx.load is not None:
        limits["load"] = rx.load
    if rx.band is not None:
        limits["band"] = rx.band
    return limits


def tighter(
    a: dict[str, object], b: dict[str, object], ladder: tuple[str, ...]
) -> dict[str, object]:
    """The lower of two sets of limits, part by part (bands by the ladder)."""
    out = dict(a)
    for key, value in b.items():
        have = out.get(key)
        if have is None:
            out[key] = value
        elif key == "band":
            rank = {band: i for i, band in enumerate(ladder)}
            if rank.get(str(value), -1) < rank.get(str(have), -1):
                out[key] = value
        elif isinstance(value, int | float) and isinstance(have, int | float) and value < have:
            out[key] = value
    return out
