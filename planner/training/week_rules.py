"""The adapt rules for one week (pure): what each exercise does next (progress, hold, step
back, swap) and what the whole plan does (extra deload week, another week of a phase, a
clinical review), from the judged log and the safety state.

Domain: double progression and 2-for-2 (ACSM 2009; NSCA), the pain-monitoring model
(Silbernagel 2007; MyKneeCap), deloads (Bell 2022; Rogerson 2024) and phase criteria built
on them. Red flags are not decided here: while the safety state is paused, nothing moves up
and no phase ends (see :mod:`planner.training.safety_state` and :mod:`planner.training.pause`).
"""

from collections.abc import Callable, Sequence

from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.exercise import Exercise
from planner.models.log import Clearance
from planner.models.plan import Plan, Prescription
from planner.models.safety import SafetyReport
from planner.plan.substitute import Constraints, choose
from planner.training.deload_rule import reactive_deload
from planner.training.evidence import (
    Evidence,
    JudgedLog,
    Key,
    dose_limits,
    managed_limits,
    own_streak,
    streak,
    tighter,
)
from planner.training.phase_gate import phase_may_end
from planner.wording.plan import day_text

Regenerate = Callable[[tuple[Adjustment, ...]], Plan]


class Decider:
    """Collects one adapt run's decisions; ``week`` is the week being decided."""

    def __init__(
        self,
        plan: Plan,
        log: JudgedLog,
        library: dict[str, Exercise],
        settings: AdaptSettings,
        week: int,
        keep: tuple[Adjustment, ...],
        state: SafetyReport,
        clearances: Sequence[Clearance],
    ) -> None:
        self.plan, self.log, self.library, self.s = plan, log, library, settings
        self.week = week
        self.keep = keep
        self.state = state
        self.clearances = clearances
        self.layout = plan
        self.decided: list[Adjustment] = []
        # Earlier decisions that still stand for the week being decided (not new ones).
        self.carried: list[Adjustment] = []
        # The pause has lifted but the plan goes on only once the week is over: hold.
        self.resume_waits = False
        self.advice: list[str] = []
        self.info: list[str] = []

    def add(self, kind: str, rule: str, reason: str, **where: object) -> Adjustment:
        """Record a decision (for ``week`` unless ``where`` names another)."""
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

    def frozen(self) -> str:
        """Why progressions are frozen for the week (empty if they are not): weekly pain
        that rose, or a morning above the hold threshold in the week before."""
        now, before = self.log.week_pain(self.week - 1), self.log.week_pain(self.week - 2)
        for label, a, b in (
            ("during exercise", now[0], before[0]),
            ("in the morning", now[1], before[1]),
        ):
            if a is not None and b is not None and a > b + self.s.weekly_pain_margin:
                return f"mean pain {label} rose from {b:.1f} to {a:.1f} in week {self.week - 1}"
        high = [
            c
            for c in self.log.week_mornings(self.week - 1)
            if c.morning_pain > self.s.morning_pain_max
        ]
        if high:
            worst = max(high, key=lambda c: c.morning_pain)
            return (
                f"morning pain was {worst.morning_pain}/10 on {day_text(worst.date)}, above "
                f"{self.s.morning_pain_max}/10"
            )
        return ""

    def track(self, key: Key, frozen: str) -> None:
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
        where: dict[str, object] = {"phase": phase, "slot": slot, "exercise": current.exercise}
        ladder = self.plan.band_ladder()
        if not last_week:
            self._not_logged(key, name, evidence, where)
            return
        last = evidence[-1]
        # One session of the week that called for a step back is enough: later sessions
        # at lower pain do not make it go away.
        hurt = next((e for e in reversed(last_week) if e.verdict.kind == "regress"), None)
        hurt = hurt or self._across_deload(key, evidence)
        if hurt is not None:
            self._hurt(key, current, name, evidence, hurt, where)
            return
        if last.verdict.kind == "hard" and streak(evidence, ("hard", "regress")) >= 2:
            self.add(
                "regress",
                "short of the dose twice in a row: step back",
                f"{name} one step back: {last.verdict.reason}.",
                **where,
                **managed_limits(last, ladder),
            )
            return
        ready = streak(evidence, ("ready",)) >= self.s.sessions_to_progress
        paused = self.state.paused
        resuming = self._resuming()
        if ready and not paused and not frozen and not resuming:
            self.add(
                "progress",
                f"{self.s.sessions_to_progress} sessions in a row in full at low pain: move up",
                f"{name} moves up one step: the last {self.s.sessions_to_progress} sessions "
                "were done in full at low pain.",
                **where,
            )
            return
        limits: dict[str, object] = {}
        if paused:
            rule, reason = "red flags: no progression while paused", "progression is paused"
        elif ready and resuming:
            rule = "the first week after a pause: no step up yet"
            reason = "the pause for red flags has just lifted"
        elif ready:
            rule, reason = "progressions frozen for a week", frozen
            limits = managed_limits(last, ladder)
        elif last.verdict.kind == "ready":
            rule = f"one good session so far; {self.s.sessions_to_progress} in a row to move up"
            reason = last.verdict.reason
        else:
            rule, reason = last.verdict.rule, last.verdict.reason
            # Held for a reason (pain, reps short, effort, a lighter load): no more than
            # what was done, also when that was a light week.
            limits = managed_limits(last, ladder)
        if resuming:
            # Back from a pause: go on from what was done while held (a deload week aside,
            # which is lighter on purpose), never above the held dose itself.
            full = [e for e in evidence if not e.session.deload] or evidence
            limits = tighter(managed_limits(full[-1], ladder), self._held(key), ladder)
        self.add("hold", rule, f"{name} stays at last week's dose: {reason}.", **where, **limits)

    def _not_logged(
        self, key: Key, name: str, evidence: list[Evidence], where: dict[str, object]
    ) -> None:
        """A slot with no log last week."""
        ladder = self.plan.band_ladder()
        if evidence and self._unanswered(key, evidence[-1]):
            # It hurt when it was last done and nothing has stepped it back since: a week
            # without a log does not make that go away.
            last = evidence[-1]
            reason = f"{last.verdict.reason}, and it has not been logged since"
            self._regress(name, last, reason, where)
            return
        # It stays, and after a gap it asks for no more than was last done; back from a
        # pause, no more than the held dose either.
        limits = managed_limits(evidence[-1], ladder) if evidence else {}
        if self._resuming():
            limits = tighter(limits, self._held(key), ladder)
        self.add(
            "hold",
            "no log for this exercise last week: hold",
            f"{name} was not logged in week {self.week - 1}, so it stays where it was.",
            **where,
            **limits,
        )

    def _hurt(
        self,
        key: Key,
        current: Prescription,
        name: str,
        evidence: list[Evidence],
        hurt: Evidence,
        where: dict[str, object],
    ) -> None:
        """A slot with a session last week that called for a step back: swap or regress."""
        backs = own_streak(evidence)
        swap = backs >= self.s.regressions_to_substitute and current.exercise in self.library
        # No swap while paused: a new exercise has no tolerated dose to hold it to, and what
        # to do instead is the clinician's call then.
        if swap and not self.state.paused and self._substitute(key, current, name, evidence, where):
            return
        advice = ""
        if swap:
            advice = (
                " Ask your physiotherapist what to do instead: no exercise is swapped in "
                "while progression is paused."
                if self.state.paused
                else " No easier exercise fits your options: ask a physiotherapist what to "
                "do instead."
            )
        self._regress(name, hurt, hurt.verdict.reason + "." + advice, where)

    def _regress(self, name: str, hurt: Evidence, reason: str, where: dict[str, object]) -> None:
        self.add(
            "regress",
            hurt.verdict.rule,
            f"{name} one step back: {reason}",
            **where,
            **managed_limits(hurt, self.plan.band_ladder()),
        )

    def _resuming(self) -> bool:
        """Whether this run lifts a pause for the week being decided."""
        return self.resume_waits or any(
            a.kind == "resume" and a.week == self.week for a in self.decided
        )

    def _held(self, key: Key) -> dict[str, object]:
        """The slot's dose in its latest session held by the pause (a deload week aside),
        as limits: back from a pause nothing asks for more than that."""
        phase, slot = key
        held = [
            s
            for s in self.plan.sessions
            if s.paused and s.phase == phase and s.week < self.week and slot < len(s.exercises)
        ]
        full = [s for s in held if not s.deload] or held
        return dose_limits(full[-1].exercises[slot]) if full else {}

    def _across_deload(self, key: Key, evidence: list[Evidence]) -> Evidence | None:
        """A step back called for before a deload week and not made yet: a light week
        logged since proves nothing about the full dose, so it still stands."""
        for e in reversed(evidence):
            if e.verdict.kind == "regress":
                return e if self._unanswered(key, e) else None
            if not e.session.deload:
                return None
        return None

    def _unanswered(self, key: Key, last: Evidence) -> bool:
        """Whether ``last`` called for a step back that no later decision has made."""
        return last.verdict.kind == "regress" and not any(
            a.key == key and a.kind in ("regress", "substitute") and a.week > last.session.week
            for a in self.keep
        )

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
        # Never an exercise the session already has, nor one another slot is swapped to.
        coming = [s for s in self.layout.sessions if s.week == self.week]
        taken = {rx.exercise for s in (*week, *coming) for rx in s.exercises}
        swaps = [a for a in (*self.keep, *self.decided) if a.kind == "substitute"]
        taken |= {a.chosen for a in swaps if a.chosen}
        # Nor one this slot was swapped away from: that would go back to what hurt.
        taken |= {a.exercise for a in swaps if a.key == key and a.exercise}
        # Nor a variation of another exercise of the session (a clamshell beside a banded
        # clamshell is the same work twice).
        others = taken - {current.exercise}
        taken |= {
            other.id for other in self.library.values() if others & {*other.easier, *other.harder}
        }
        rules = Constraints(options.avoid, kit)
        # After pain, an easier exercise first; one as hard only if none is easier.
        as_hard = {e.id for e in self.library.values() if e.difficulty >= ex.difficulty}
        stand_in = choose(ex, self.library, rules, taken | as_hard) or choose(
            ex, self.library, rules, taken
        )
        if stand_in is None:
            return False  # the step back says so (see _hurt)
        reasons = "; ".join(e.verdict.reason for e in evidence[-self.s.regressions_to_substitute :])
        self.add(
            "substitute",
            f"stepped back {self.s.regressions_to_substitute} sessions in a row: swap for an "
            "easier exercise",
            f"{stand_in.exercise.name} replaces {name} ({stand_in.route}) after {reasons}.",
            chosen=stand_in.exercise.id,
            **where,
        )
        return True


def phase_of(plan: Plan, week: int) -> str:
    """The phase of a plan week."""
    return next(s.phase for s in plan.sessions if s.week == week)


def decide_week(d: Decider, regenerate: Regenerate, week_done: bool) -> None:
    """One week's decisions, plan-wide first (phase end), then each exercise."""
    plan, week = d.plan, d.week
    if week == 1 or not any(d.log.by_week.values()):
        d.info.append(
            "nothing logged before this week yet; "
            + (
                "every session stays held while progression is paused"
                if d.state.paused
                else "the plan goes on as written"
            )
        )
        return
    phase_before = phase_of(plan, week - 1)
    phase_now = phase_of(d.layout, week)
    if d.state.paused:
        d.info.append(
            f"progression is paused: nothing gets harder and the {phase_before} phase goes on "
            "until the pause lifts"
        )
    elif phase_now != phase_before:
        if not week_done:
            d.info.append(
                f"the {phase_before} phase goals are checked once week {week - 1} is over; "
                f"run adapt again then"
            )
            return
        if phase_may_end(d, regenerate, phase_before, phase_now):
            return  # the new phase starts with its own doses
    frozen = d.frozen()
    slots = len(next(x for x in plan.sessions if x.week == week - 1).exercises)
    for slot in range(slots):
        d.track((phase_before, slot), frozen)
    reactive_deload(d)
