"""Adapt the weeks ahead to the training log (pure): domain-rules.md §1, §3, §4, §5, §6.

:func:`adapt` reads the saved plan, the log and the morning check-ins, decides for the
first week that has not started what each exercise does next (progress, hold, step back,
swap) and what the whole plan does (extra deload, extra week of a phase, pause for red
flags), then regenerates the plan with those adjustments. Sessions already done or dated
before today are copied over unchanged. The same log gives the same plan: running adapt
twice is a no-op.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from planner.evidence import Evidence, JudgedLog, Key, streak
from planner.logbook import prescribed
from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.exercise import Exercise
from planner.models.log import Checkin, LogEntry
from planner.models.plan import Plan, Prescription, Session
from planner.plandiff import Change, diff_sessions
from planner.steering import Steering
from planner.substitute import Constraints, choose
from planner.text import dose_text

Regenerate = Callable[[tuple[Adjustment, ...]], Plan]

RED_FLAG_ADVICE = (
    "Red flags: {what}. Stop pushing on and see a doctor or physiotherapist. The plan keeps "
    "your doses where they are (no progression) until a logged week passes without them."
)


@dataclass(frozen=True, slots=True)
class Adapted:
    """What adapt decided and the plan that results (``changed`` = differs from before)."""

    plan: Plan
    week: int | None
    decided: tuple[Adjustment, ...]
    changes: tuple[Change, ...]
    advice: tuple[str, ...]
    info: tuple[str, ...]
    changed: bool


class _Decider:
    """Decides the adjustments for one week from the judged log."""

    def __init__(
        self,
        plan: Plan,
        log: JudgedLog,
        library: dict[str, Exercise],
        settings: AdaptSettings,
        week: int,
        keep: tuple[Adjustment, ...],
    ) -> None:
        self.plan, self.log, self.library, self.s = plan, log, library, settings
        self.week = week
        self.keep = keep
        self.layout = plan
        self.decided: list[Adjustment] = []
        self.advice: list[str] = []
        self.info: list[str] = []

    def add(self, kind: str, rule: str, reason: str, **where: object) -> Adjustment:
        adjustment = Adjustment.model_validate(
            {"week": self.week, "kind": kind, "rule": rule, "reason": reason, **where}
        )
        self.decided.append(adjustment)
        return adjustment

    def since_swap(self, key: Key) -> list[Evidence]:
        """A slot's evidence since its exercise was last swapped."""
        swaps = [a.week for a in self.keep if a.kind == "substitute" and a.key == key]
        start = max(swaps, default=0)
        return [e for e in self.log.by_track.get(key, []) if e.session.week >= start]

    def pain_rose(self) -> str:
        """Why weekly pain counts as risen (empty if it did not), §3 rule 5."""
        now, before = self.log.week_pain(self.week - 1), self.log.week_pain(self.week - 2)
        for label, a, b in (
            ("during exercise", now[0], before[0]),
            ("in the morning", now[1], before[1]),
        ):
            if a is not None and b is not None and a > b + self.s.weekly_pain_margin:
                return f"mean pain {label} rose from {b:.1f} to {a:.1f} in week {self.week - 1}"
        return ""

    def track(self, key: Key, stopped: bool, frozen: str) -> None:
        """Decide one slot: substitute, regress, hold or progress."""
        evidence = self.since_swap(key)
        last_week = [e for e in evidence if e.session.week == self.week - 1]
        phase, slot = key
        current = self._current(key)
        name = (
            self.library[current.exercise].name
            if current.exercise in self.library
            else current.name
        )
        where = {"phase": phase, "slot": slot, "exercise": current.exercise}
        if not last_week:
            self.add(
                "hold",
                "no log for this exercise last week: hold",
                f"{name} was not logged in week {self.week - 1}, so it stays where it was.",
                **where,
            )
            return
        last = evidence[-1].verdict
        backs = streak(evidence, ("regress",))
        substitute = last.kind == "regress" and backs >= self.s.regressions_to_substitute
        if substitute and self._substitute(key, current, name, evidence, where):
            return
        if last.kind == "regress" or (
            last.kind == "hard" and streak(evidence, ("hard", "regress")) >= 2
        ):
            rule = (
                last.rule
                if last.kind == "regress"
                else "short of the dose twice in a row: step back (§1)"
            )
            self.add("regress", rule, f"{name} one step back: {last.reason}.", **where)
            return
        ready = streak(evidence, ("ready",)) >= self.s.sessions_to_progress
        if ready and not stopped and not frozen:
            self.add(
                "progress",
                f"{self.s.sessions_to_progress} sessions in a row in full at low pain: "
                "move up (2-for-2, §1)",
                f"{name} moves up one step: the last {self.s.sessions_to_progress} sessions "
                "were done in full at low pain.",
                **where,
            )
            return
        if ready and stopped:
            rule, reason = "red flags: no progression (§3 rule 6)", "red flags were reported"
        elif ready:
            rule, reason = "weekly pain rose: progressions frozen for a week (§3 rule 5)", frozen
        elif last.kind == "ready":
            rule = "one good session so far; two in a row to move up (2-for-2, §1)"
            reason = last.reason
        else:
            rule, reason = last.rule, last.reason
        self.add("hold", rule, f"{name} stays at last week's dose: {reason}.", **where)

    def _current(self, key: Key) -> Prescription:
        sessions = [s for s in self.plan.sessions if s.week == self.week - 1 and s.phase == key[0]]
        return sessions[-1].exercises[key[1]]

    def _substitute(
        self,
        key: Key,
        current: Prescription,
        name: str,
        evidence: list[Evidence],
        where: dict[str, object],
    ) -> bool:
        ex = self.library.get(current.exercise)
        if ex is None:
            return False
        options = self.plan.options
        kit = None if options.equipment is None else frozenset(options.equipment)
        week = [s for s in self.plan.sessions if s.week == self.week - 1 and s.phase == key[0]]
        taken = {rx.exercise for s in week for rx in s.exercises}
        taken |= {a.exercise or "" for a in self.keep if a.key == key}
        stand_in = choose(ex, self.library, Constraints(options.avoid, kit), taken)
        reasons = "; ".join(e.verdict.reason for e in evidence[-self.s.regressions_to_substitute :])
        if stand_in is None:
            self.advice.append(
                f"{name} needed a step back {self.s.regressions_to_substitute} times in a row "
                f"({reasons}) and no easier stand-in fits your options; ask a physiotherapist "
                "what to do instead."
            )
            return False
        self.add(
            "substitute",
            f"stepped back {self.s.regressions_to_substitute} sessions in a row: swap (§3 rule 4)",
            f"{stand_in.exercise.name} replaces {name} ({stand_in.route}) after {reasons}.",
            chosen=stand_in.exercise.id,
            **where,
        )
        return True


def _rank(rx: Prescription, ladder: tuple[str, ...]) -> tuple[float, int, int]:
    band = ladder.index(rx.band) if rx.band in ladder else -1
    return (rx.load or 0.0, band, sum(prescribed(rx)))


class _Phases:
    """Phase advancement (§6): may the person leave a phase, or does it get another week?"""

    def __init__(self, decider: _Decider, base: Plan) -> None:
        self.d = decider
        self.base = base

    def unmet(self, phase: str) -> list[str]:
        """The criteria for leaving ``phase`` that the log does not (yet) show."""
        d, s = self.d, self.d.s
        last = d.week - 1
        sessions = [x for x in d.plan.sessions if x.phase == phase and x.week <= last]
        logged = {e.session.slot for w in range(1, last + 1) for e in d.log.by_week.get(w, [])}
        done = sum(1 for x in sessions if x.slot in logged)
        unmet = []
        if sessions and done / len(sessions) < s.min_adherence:
            unmet.append(f"{done} of {len(sessions)} sessions logged (aim: {s.min_adherence:.0%})")
        final = d.log.by_week.get(last, [])
        worst = max((e.entry.pain for e in final), default=None)
        if worst is not None and worst > s.phase_end_pain:
            unmet.append(f"pain up to {worst}/10 in week {last} (aim: {s.phase_end_pain} or less)")
        if any(e.verdict.morning_rose for e in final):
            unmet.append(f"morning pain rose in week {last}")
        unmet += self._targets(phase, sessions)
        return unmet

    def _targets(self, phase: str, sessions: list[Session]) -> list[str]:
        """Exercises not yet at the dose the template aims for by the end of the phase."""
        if not sessions:
            return []
        span = next((p for p in self.base.phases if p.name == phase), None)
        if span is None:
            return []
        goal = [x for x in self.base.sessions if x.week == span.last_week and x.phase == phase]
        if not goal:
            return []
        ladder = self.d.plan.band_ladder()
        missing = []
        for index, rx in enumerate(sessions[-1].exercises):
            aim = goal[-1].exercises[index]
            evidence = self.d.since_swap((phase, index))
            name = rx.name
            if aim.exercise == rx.exercise and any(
                a < b for a, b in zip(_rank(rx, ladder), _rank(aim, ladder), strict=True)
            ):
                missing.append(f"{name} at {dose_text(rx)} (the phase aims for {dose_text(aim)})")
            elif evidence and evidence[-1].verdict.kind != "ready":
                missing.append(f"{name} not yet done in full at low pain")
        return missing


def _first_open_week(plan: Plan, entries: list[LogEntry], today: dt.date) -> int | None:
    """The first week after every session that is done (logged) or dated before today."""
    logged = {e.slot for e in entries}
    past = [s.week for s in plan.sessions if s.date < today or s.slot in logged]
    week = max(past, default=0) + 1
    return week if week <= plan.weeks else None


def adapt(
    plan: Plan,
    regenerate: Regenerate,
    entries: list[LogEntry],
    checkins: list[Checkin],
    library: dict[str, Exercise],
    settings: AdaptSettings,
    today: dt.date,
) -> Adapted:
    """Decide the next open week from the log and regenerate the plan from there.

    Args:
        plan: the latest saved revision (its adjustments are the decisions so far).
        regenerate: builds the plan from its template and options with given adjustments.
        entries: the log entries that count (the newest per session and exercise).
        checkins: morning check-ins, newest per day.
        library: the exercise library (stand-ins are chosen from it).
        settings: the thresholds (the template's ``[adapt]`` table).
        today: sessions dated before today, and logged ones, never change.
    """
    week = _first_open_week(plan, entries, today)
    if week is None:
        return Adapted(plan, None, (), (), (), ("the plan is over; nothing left to adapt",), False)
    keep = tuple(a for a in plan.adjustments if a.week < week)
    log = JudgedLog(plan, entries, checkins, settings)
    d = _Decider(plan, log, library, settings, week, keep)
    # Week ``week`` as it stands before this run's decisions: what the phase boundary and
    # planned deloads look like must not depend on an earlier run's decisions for the same
    # week, or a second run would undo the first.
    d.layout = plan if keep == plan.adjustments else regenerate(keep)
    _decide(d, regenerate, today)
    adjustments = tuple(sorted((*keep, *d.decided), key=_order))
    if adjustments == plan.adjustments:
        return Adapted(plan, week, tuple(d.decided), (), tuple(d.advice), tuple(d.info), False)
    fresh = regenerate(adjustments)
    sessions = (
        *(s for s in plan.sessions if s.week < week),
        *(s for s in fresh.sessions if s.week >= week),
    )
    new_plan = fresh.model_copy(update={"id": plan.id, "sessions": sessions})
    changes = diff_sessions(plan, new_plan, week, tuple(d.decided))
    return Adapted(new_plan, week, tuple(d.decided), changes, tuple(d.advice), tuple(d.info), True)


_KIND_ORDER = (
    "extend",
    "review",
    "stop",
    "resume",
    "deload",
    "substitute",
    "regress",
    "hold",
    "progress",
)


def _order(a: Adjustment) -> tuple[int, int, str, int]:
    return (a.week, _KIND_ORDER.index(a.kind), a.phase or "", -1 if a.slot is None else a.slot)


def _decide(d: _Decider, regenerate: Regenerate, today: dt.date) -> None:
    """All of one week's decisions, plan-wide first, then each exercise."""
    s, plan, week = d.s, d.plan, d.week
    if week == 1 or not any(d.log.by_week.values()):
        d.info.append("nothing logged before this week yet; the plan goes on as written")
        return
    flags = d.log.red_flags(week - 1, today, s)
    was_stopped = Steering(d.keep).stopped(week)
    if flags:
        d.advice.append(RED_FLAG_ADVICE.format(what="; ".join(flags)))
        if not was_stopped:
            d.add(
                "stop",
                "red flags: stop progression, see a clinician (§3 rule 6)",
                f"you reported {'; '.join(flags)}. See a doctor or physiotherapist.",
            )
    elif was_stopped and d.log.by_week.get(week - 1):
        d.add(
            "resume",
            "a logged week without red flags: progression resumes",
            f"week {week - 1} was logged without red flags.",
        )
    stopped = bool(flags) or (was_stopped and not d.log.by_week.get(week - 1))
    _review_if_no_better(d)
    phase_before = _phase_of(plan, week - 1)
    phase_now = _phase_of(d.layout, week)
    logged = {e.session.slot for ev in d.log.by_week.values() for e in ev}
    week_done = all(x.date < today or x.slot in logged for x in plan.sessions if x.week == week - 1)
    if phase_now != phase_before and not week_done:
        d.info.append(
            f"the {phase_before} phase goals are checked once week {week - 1} is over; "
            f"run adapt again then"
        )
        return
    if phase_now != phase_before:
        unmet = _Phases(d, regenerate(())).unmet(phase_before)
        extensions = sum(1 for a in d.keep if a.kind == "extend" and a.phase == phase_before)
        if not unmet:
            d.info.append(f"{phase_before} phase criteria met; {phase_now} starts as planned")
            return
        why = "; ".join(unmet)
        if extensions >= s.max_extensions:
            d.add(
                "review",
                f"{phase_before} criteria still unmet after {extensions} extra "
                "week(s): clinical review (§6)",
                f"the {phase_before} phase goals are not met yet ({why}). Ask a "
                f"physiotherapist to look at your progress before the {phase_now} phase.",
                phase=phase_before,
            )
            d.advice.append(d.decided[-1].reason[0].upper() + d.decided[-1].reason[1:])
            return
        d.add(
            "extend",
            f"{phase_before} criteria not met: one more week of it (§6)",
            f"one more week of {phase_before} ({extensions + 1} of at most "
            f"{s.max_extensions}): {why}.",
            phase=phase_before,
        )
    frozen = d.pain_rose()
    slots = len(next(x for x in plan.sessions if x.week == week - 1).exercises)
    for slot in range(slots):
        d.track((phase_before, slot), stopped, frozen)
    _reactive_deload(d)


def _phase_of(plan: Plan, week: int) -> str:
    return next(s.phase for s in plan.sessions if s.week == week)


def _reactive_deload(d: _Decider) -> None:
    """§5: a lighter week when two exercises step back at once, or progress stalls."""
    s, week = d.s, d.week
    back = [a for a in d.decided if a.kind in ("regress", "substitute")]
    stalled = [w for w in range(week - s.stalled_weeks_for_deload, week) if _stalled(d, w)]
    deloads = set(d.layout.deload_weeks)
    if back and week - 1 in deloads and week not in deloads:
        # Pain even in a light week: going back to full volume now would raise the dose of
        # an exercise that just hurt, so the light week goes on.
        d.add(
            "deload",
            "stepped back during a deload week: one more light week (§5, §3 rule 3)",
            "one more light week, as the last one still hurt.",
        )
        return
    if {week - 1, week, week + 1} & deloads:
        return
    if len(back) >= s.regressions_for_deload:
        names = ", ".join(a.exercise or "" for a in back)
        rule = f"{len(back)} exercises stepped back in one week: reactive deload (§5)"
    elif len(stalled) == s.stalled_weeks_for_deload:
        names = ""
        rule = f"no exercise moved up for {len(stalled)} logged weeks: reactive deload (§5)"
    else:
        return
    reason = (
        f"a lighter week to recover ({names} stepped back)."
        if names
        else f"a lighter week to recover; nothing moved up in weeks {stalled[0]}-{stalled[-1]}."
    )
    d.add("deload", rule, reason)


def _stalled(d: _Decider, week: int) -> bool:
    """A logged week in which no exercise earned a step up."""
    if week < 1 or not d.log.by_week.get(week):
        return False
    for evidence in d.log.by_track.values():
        upto = [e for e in evidence if e.session.week <= week]
        if (
            upto
            and upto[-1].session.week == week
            and streak(upto, ("ready",)) >= d.s.sessions_to_progress
        ):
            return False
    return True


def _review_if_no_better(d: _Decider) -> None:
    """§3 rule 6: pain that has not eased after about six weeks of training."""
    logged = sorted(w for w, ev in d.log.by_week.items() if ev)
    if (
        not logged
        or d.week - 1 - logged[0] < d.s.review_after_weeks - 1
        or logged[-1] != d.week - 1
    ):
        return
    first, now = d.log.week_pain(logged[0])[0], d.log.week_pain(logged[-1])[0]
    if first is not None and now is not None and first > d.s.pain_safe and now >= first:
        d.advice.append(
            f"Your pain during exercise has not eased since week {logged[0]} ({first:.1f} then, "
            f"{now:.1f} now). After about six weeks that is worth a review with a "
            "physiotherapist or doctor."
        )
