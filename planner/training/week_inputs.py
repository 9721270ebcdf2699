"""What the weekly adapt rules read and what they return (pure).

Every rule of :mod:`planner.training.week_rules`, :mod:`planner.training.phase_gate`,
:mod:`planner.training.swap_rule` and :mod:`planner.training.deload_rule` is a function of
a :class:`WeekInputs` (frozen) that returns its decisions: an :class:`Outcome` (the
adjustments it makes and the lines it has for the person), the phase gate's ``PhaseCheck``
(an outcome, and whether the phase ends), or the one adjustment of one exercise entry.
Nothing is changed in place, so the rules can be read, called and tested one at a time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.common import EntryKey
from planner.models.exercise import Exercise
from planner.models.log import Clearance
from planner.models.plan import Plan, Session
from planner.models.safety import SafetyReport
from planner.training.evidence import Evidence, JudgedLog

Regenerate = Callable[[tuple[Adjustment, ...]], Plan]


@dataclass(frozen=True, slots=True)
class WeekInputs:
    """Everything one adapt run knows when it decides plan week ``week``.

    Attributes:
        plan: the latest saved revision.
        log: the training log judged against ``plan``.
        library: the exercise library (stand-ins come from it).
        settings: the thresholds.
        week: the week being decided.
        keep: the decisions of earlier weeks, which stand.
        state: the safety state.
        clearances: every clinician clearance recorded.
        layout: the plan as it stands for ``week`` before this run's weekly decisions (its
            phase boundary and planned deloads).
        earlier: what this run decided before the weekly rules (a ``stop`` or ``resume``).
        resume_waits: the safety stop has lifted but the plan goes on only once the week
            is over.
        missed: the sessions that are missed today (see :mod:`planner.training.missed`).
    """

    plan: Plan
    log: JudgedLog
    library: dict[str, Exercise]
    settings: AdaptSettings
    week: int
    keep: tuple[Adjustment, ...]
    state: SafetyReport
    clearances: tuple[Clearance, ...]
    layout: Plan
    earlier: tuple[Adjustment, ...] = ()
    resume_waits: bool = False
    missed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a rule decided: adjustments, advice for the person and information lines."""

    adjustments: tuple[Adjustment, ...] = ()
    advice: tuple[str, ...] = ()
    info: tuple[str, ...] = ()

    def __add__(self, other: "Outcome") -> "Outcome":
        """Both outcomes, this one first."""
        return Outcome(
            self.adjustments + other.adjustments,
            self.advice + other.advice,
            self.info + other.info,
        )


def told(*info: str) -> Outcome:
    """An outcome that only tells the person something."""
    return Outcome(info=info)


def adjustment(week: int, kind: str, rule: str, reason: str, **where: object) -> Adjustment:
    """A decision for ``week``; ``where`` adds the phase, entry, exercise and limits."""
    return Adjustment.model_validate(
        {"week": week, "kind": kind, "rule": rule, "reason": reason, **where}
    )


def since_swap(inputs: WeekInputs, key: EntryKey) -> list[Evidence]:
    """An entry's evidence since its exercise was last swapped."""
    swaps = [a.week for a in inputs.keep if a.kind == "substitute" and a.key == key]
    start = max(swaps, default=0)
    return [e for e in inputs.log.by_entry.get(key, []) if e.session.week >= start]


def sessions_before(inputs: WeekInputs, phase: str) -> list[Session]:
    """The sessions of ``phase`` in the week before the one being decided."""
    return [s for s in inputs.plan.sessions if s.week == inputs.week - 1 and s.phase == phase]


def resuming(inputs: WeekInputs) -> bool:
    """Whether this run lifts a pause for the week being decided."""
    return inputs.resume_waits or any(
        a.kind == "resume" and a.week == inputs.week for a in inputs.earlier
    )
