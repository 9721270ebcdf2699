"""How a plan's adjustments (from ``planner adapt``) change its generation (pure):
:class:`PlanAdjustments` looks them up for :mod:`planner.plan.generate`.

Exercise adjustments act on one exercise entry of a phase in their week (see
:class:`planner.plan.ladder.EntryLadder`): progress moves it on as planned, hold keeps
last week's position, regress steps back one, substitute swaps the exercise. Plan
adjustments act from their week: an extra deload week, an extra week of a phase (``extend``,
and ``review`` while a phase waits for a clinician's look), and progression paused for red
flags (``stop``) until ``resume``. While paused no entry climbs, and the phase in progress
(the stop's ``phase``) goes on to the end of the plan: no later phase starts. Once resumed,
that phase has lasted up to the week before the resume and the later phases follow it.
"""

from planner.models.adapt import ENTRY_KINDS, Adjustment
from planner.models.program import Deload, Phase, ProgramTemplate

_DELTA = {"progress": 1, "hold": 0, "regress": -1}

# How the rule of an ``extend`` for a week missed in full ends (planner.training.missed):
# that week is repeated, so its phase is a week longer wherever in the phase it fell.
REPEAT_TAIL = " was missed: repeat it"
# The rule of the ``extend`` the first week back from a long break gets
# (planner.training.comeback): like a repeat, no extra week for unmet goals.
COMEBACK_RULE = "back from a long break: one more week of the phase"

# What each plan-wide adjustment adds to the sessions of its week, before its reason.
# A pause says its own words on every session it holds (planner.training.pause), so a stop has none.
_SESSION_NOTE = {
    "deload": "Extra deload week",
    "extend": "Extra week of this phase",
    "resume": "Safety stop lifted",
    "review": "Please book a review",
}


class PlanAdjustments:
    """A plan's adjustments, looked up the ways the generator needs them: per exercise
    entry and week, plan-wide ones per week, the extra deload weeks and the pauses."""

    def __init__(self, adjustments: tuple[Adjustment, ...]) -> None:
        self._moves = {(a.week, a.phase, a.slot): a for a in adjustments if a.kind in ENTRY_KINDS}
        self._plan = [a for a in adjustments if a.kind not in ENTRY_KINDS]
        self.deloads = frozenset(a.week for a in self._plan if a.kind == "deload")
        self._pauses = self._pair_pauses()

    def extended(self, program: ProgramTemplate) -> ProgramTemplate:
        """``program`` with its phases lengthened by the plan's adjustments (see the module
        docstring), and a deload setting to apply reactive deloads with, if it had none.

        A phase lasts its template weeks, and at least up to the week of each of its
        ``extend`` and ``review`` adjustments (each is an extra week of it) and up to the
        week before the ``resume`` that ended a pause in it; weeks that count for both are
        counted once. A week missed in full and repeated adds a week wherever it fell. A
        pause that stands keeps its phase going to the end of the plan.
        """
        reach: dict[str, int] = {}
        repeats: dict[str, int] = {}
        for a in self._plan:
            if a.kind == "extend" and a.phase is not None and a.rule.endswith(REPEAT_TAIL):
                repeats[a.phase] = repeats.get(a.phase, 0) + 1
            if a.kind in ("extend", "review") and a.phase is not None:
                reach[a.phase] = max(reach.get(a.phase, 0), a.week)
        standing = None
        for stop, resume in self.pauses():
            if stop.phase is None:
                continue  # a stop saved before stops named their phase
            if resume is None:
                standing = stop.phase
            else:
                reach[stop.phase] = max(reach.get(stop.phase, 0), resume.week - 1)
        phases: list[Phase] = []
        start = 1
        for p in program.phases:
            end = max(start + p.weeks - 1 + repeats.get(p.name, 0), reach.get(p.name, 0))
            phases.append(p.model_copy(update={"weeks": end - start + 1}))
            start = end + 1
        names = [p.name for p in phases]
        if standing in names:
            index = names.index(standing)
            total = sum(p.weeks for p in phases)
            end = sum(p.weeks for p in phases[: index + 1])
            held = phases[index].model_copy(update={"weeks": phases[index].weeks + total - end})
            phases = [*phases[:index], held]
        update: dict[str, object] = {}
        if tuple(phases) != program.phases:
            update["phases"] = tuple(phases)
        if self.deloads and program.deload is None:
            update["deload"] = Deload(every=None)
        return program.model_copy(update=update) if update else program

    def pauses(self) -> list[tuple[Adjustment, Adjustment | None]]:
        """Each stop with the resume that ended it (None: it stands), in order."""
        return list(self._pauses)

    def _pair_pauses(self) -> list[tuple[Adjustment, Adjustment | None]]:
        found: list[tuple[Adjustment, Adjustment | None]] = []
        # A resume and a new stop in one week: the old pause ends, the new one begins.
        for a in sorted(self._plan, key=lambda a: (a.week, a.kind != "resume")):
            if a.kind == "stop" and (not found or found[-1][1] is not None):
                found.append((a, None))
            elif a.kind == "resume" and found and found[-1][1] is None:
                found[-1] = (found[-1][0], a)
        return found

    def move(self, week: int, phase: str, index: int) -> Adjustment | None:
        """The adjustment for the entry ``index`` of ``phase`` in ``week``, if any."""
        return self._moves.get((week, phase, index))

    def troubled(self, exercise: str, week: int) -> bool:
        """Whether the log held, stepped back or swapped out ``exercise`` (any entry of
        it) in ``week`` or before."""
        return any(
            a.exercise == exercise and a.kind != "progress" and a.week <= week
            for a in self._moves.values()
        )

    def stopped(self, week: int) -> bool:
        """Whether progression is paused in ``week`` (a stop not yet resumed)."""
        return any(
            stop.week <= week and (resume is None or week < resume.week)
            for stop, resume in self._pauses
        )

    def delta(self, adjustment: Adjustment | None, week: int) -> int:
        """Positions an entry moves this week: +1 as planned, less if adapt said so."""
        delta = 1 if adjustment is None else _DELTA[adjustment.kind]
        return min(delta, 0) if self.stopped(week) else delta

    def session_notes(self, week: int) -> tuple[str, ...]:
        """Notes every session of ``week`` carries from plan-wide adjustments."""
        paused = self.stopped(week)  # a pause that began again this week outranks a resume
        return tuple(
            f"{_SESSION_NOTE[a.kind]}: {a.reason}"
            for a in self._plan
            if a.week == week and a.kind in _SESSION_NOTE and not (paused and a.kind == "resume")
        )
