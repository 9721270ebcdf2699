"""How a plan's adjustments (from ``planner adapt``) steer its generation (pure).

Exercise adjustments act on one slot in their week: progress moves it on as planned, hold
keeps last week's position, regress steps back one, substitute swaps the exercise. Plan
adjustments act from their week: an extra deload week, an extra week of a phase, progression
stopped (red flags) until resumed, a clinical review advised.
"""

from planner.models.adapt import TRACK_KINDS, Adjustment
from planner.models.program import Deload, ProgramTemplate

_DELTA = {"progress": 1, "hold": 0, "regress": -1}

# What each plan-wide adjustment adds to the sessions of its week, before its reason.
_SESSION_NOTE = {
    "deload": "Extra deload week",
    "extend": "Extra week of this phase",
    "stop": "Progression paused",
    "resume": "Progression resumed",
    "review": "Please book a review",
}


class Steering:
    """Lookups over a plan's adjustments for the generator."""

    def __init__(self, adjustments: tuple[Adjustment, ...]) -> None:
        self._moves = {(a.week, a.phase, a.slot): a for a in adjustments if a.kind in TRACK_KINDS}
        self._plan = [a for a in adjustments if a.kind not in TRACK_KINDS]
        self.deloads = frozenset(a.week for a in self._plan if a.kind == "deload")

    def extended(self, program: ProgramTemplate) -> ProgramTemplate:
        """``program`` with each phase lengthened by its ``extend`` adjustments (and a
        deload setting to apply reactive deloads with, if it had none)."""
        extra: dict[str, int] = {}
        for a in self._plan:
            if a.kind == "extend" and a.phase is not None:
                extra[a.phase] = extra.get(a.phase, 0) + 1
        update: dict[str, object] = {}
        if extra:
            update["phases"] = tuple(
                p.model_copy(update={"weeks": p.weeks + extra.get(p.name, 0)})
                for p in program.phases
            )
        if self.deloads and program.deload is None:
            update["deload"] = Deload(every=None)
        return program.model_copy(update=update) if update else program

    def move(self, week: int, phase: str, slot: int) -> Adjustment | None:
        """The adjustment for this slot in this week, if any."""
        return self._moves.get((week, phase, slot))

    def stopped(self, week: int) -> bool:
        """Whether progression is paused in ``week`` (a stop not yet resumed)."""
        state = False
        for a in sorted(self._plan, key=lambda a: a.week):
            if a.week <= week and a.kind in ("stop", "resume"):
                state = a.kind == "stop"
        return state

    def delta(self, adjustment: Adjustment | None, week: int) -> int:
        """Positions a slot moves this week: +1 as planned, less if adapt said so."""
        delta = 1 if adjustment is None else _DELTA[adjustment.kind]
        return min(delta, 0) if self.stopped(week) else delta

    def session_notes(self, week: int) -> tuple[str, ...]:
        """Notes every session of ``week`` carries: plan-wide adjustments and a pause."""
        notes = [f"{_SESSION_NOTE[a.kind]}: {a.reason}" for a in self._plan if a.week == week]
        if self.stopped(week) and not any(a.kind == "stop" and a.week == week for a in self._plan):
            notes.append(
                "Progression paused until a week passes without red flags; see a clinician."
            )
        return tuple(notes)
