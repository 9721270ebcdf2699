"""How a plan's adjustments (from ``planner adapt``) steer its generation (pure).

Exercise adjustments act on one slot in their week: progress moves it on as planned, hold
keeps last week's position, regress steps back one, substitute swaps the exercise. Plan
adjustments act from their week: an extra deload week, an extra week of a phase (``extend``,
and ``review`` while a phase waits for a clinician's look), and progression paused for red
flags (``stop``) until ``resume``. While paused no slot climbs, and the phase in progress
(the stop's ``phase``) goes on to the end of the plan: no later phase starts. Once resumed,
that phase has lasted up to the week before the resume and the later phases follow it.
"""

from planner.models.adapt import TRACK_KINDS, Adjustment
from planner.models.program import Deload, Phase, ProgramTemplate

_DELTA = {"progress": 1, "hold": 0, "regress": -1}

# What each plan-wide adjustment adds to the sessions of its week, before its reason.
# A pause says its own words on every session it holds (planner.pause), so a stop has none.
_SESSION_NOTE = {
    "deload": "Extra deload week",
    "extend": "Extra week of this phase",
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
        """``program`` with each phase lengthened by its ``extend`` and ``review``
        adjustments and by any pause (see the module docstring), and a deload setting to
        apply reactive deloads with, if it had none."""
        extra: dict[str, int] = {}
        for a in self._plan:
            if a.kind in ("extend", "review") and a.phase is not None:
                extra[a.phase] = extra.get(a.phase, 0) + 1
        phases = [
            p.model_copy(update={"weeks": p.weeks + extra.get(p.name, 0)}) for p in program.phases
        ]
        phases = self._paused(phases)
        update: dict[str, object] = {}
        if tuple(phases) != program.phases:
            update["phases"] = tuple(phases)
        if self.deloads and program.deload is None:
            update["deload"] = Deload(every=None)
        return program.model_copy(update=update) if update else program

    def pauses(self) -> list[tuple[Adjustment, Adjustment | None]]:
        """Each stop with the resume that ended it (None: it stands), in order."""
        found: list[tuple[Adjustment, Adjustment | None]] = []
        # A resume and a new stop in one week: the old pause ends, the new one begins.
        for a in sorted(self._plan, key=lambda a: (a.week, a.kind != "resume")):
            if a.kind == "stop" and (not found or found[-1][1] is not None):
                found.append((a, None))
            elif a.kind == "resume" and found and found[-1][1] is None:
                found[-1] = (found[-1][0], a)
        return found

    def _paused(self, phases: list[Phase]) -> list[Phase]:
        for stop, resume in self.pauses():
            index = next((i for i, p in enumerate(phases) if p.name == stop.phase), None)
            if index is None:
                continue  # a stop saved before stops named their phase, or a phase now gone
            end = sum(p.weeks for p in phases[: index + 1])
            if resume is None:
                total = sum(p.weeks for p in phases)
                held = phases[index].model_copy(update={"weeks": phases[index].weeks + total - end})
                return [*phases[:index], held]
            if resume.week - 1 > end:
                held = phases[index].model_copy(
                    update={"weeks": phases[index].weeks + resume.week - 1 - end}
                )
                phases = [*phases[:index], held, *phases[index + 1 :]]
        return phases

    def move(self, week: int, phase: str, slot: int) -> Adjustment | None:
        """The adjustment for this slot in this week, if any."""
        return self._moves.get((week, phase, slot))

    def stopped(self, week: int) -> bool:
        """Whether progression is paused in ``week`` (a stop not yet resumed)."""
        return any(
            stop.week <= week and (resume is None or week < resume.week)
            for stop, resume in self.pauses()
        )

    def delta(self, adjustment: Adjustment | None, week: int) -> int:
        """Positions a slot moves this week: +1 as planned, less if adapt said so."""
        delta = 1 if adjustment is None else _DELTA[adjustment.kind]
        return min(delta, 0) if self.stopped(week) else delta

    def session_notes(self, week: int) -> tuple[str, ...]:
        """Notes every session of ``week`` carries from plan-wide adjustments."""
        return tuple(
            f"{_SESSION_NOTE[a.kind]}: {a.reason}"
            for a in self._plan
            if a.week == week and a.kind in _SESSION_NOTE
        )
