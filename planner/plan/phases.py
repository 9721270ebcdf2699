"""Phase lengths: a template's weeks reshaped by ``--weeks`` and ``--phase-weeks`` (pure)."""

from planner.errors import OptionError
from planner.models.exercise import Exercise
from planner.models.plan import MAX_WEEKS, PhaseLength
from planner.models.program import Phase, ProgramTemplate
from planner.plan.explain import Explanations
from planner.plan.substitute import join_and


def reshape_weeks(phases: tuple[Phase, ...], weeks: int | None) -> list[int]:
    """Spread ``weeks`` over the phases in proportion to the template (largest remainder).

    Every phase keeps at least one week, so the order activation -> strength -> functional
    survives any length.
    """
    base = [p.weeks for p in phases]
    if weeks is None or weeks == sum(base):
        return base
    if not len(phases) <= weeks <= MAX_WEEKS:
        raise OptionError(
            f"--weeks: {weeks} is out of range; give {len(phases)} to {MAX_WEEKS} "
            f"(one week per phase at least)"
        )
    spare = weeks - len(phases)
    total = sum(base)
    shares = [spare * b / total for b in base]
    out = [1 + int(s) for s in shares]
    order = sorted(range(len(base)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in order[: weeks - sum(out)]:
        out[i] += 1
    return out


def phase_lengths(
    phases: tuple[Phase, ...], weeks: int | None, asked: tuple[PhaseLength, ...]
) -> list[int]:
    """Each phase's weeks: as asked with ``--phase-weeks``; the other phases share what is
    left of ``--weeks`` in proportion to the template (or keep their length without it).

    Raises:
        OptionError: an unknown phase, or lengths that do not add up to ``weeks``.
    """
    names = [p.name for p in phases]
    given = {p.phase: p.weeks for p in asked}
    for name in given:
        if name not in names:
            raise OptionError(
                f"--phase-weeks: '{name}' is not a phase of this template; "
                f"its phases are {', '.join(names)}"
            )
    if not given:
        return reshape_weeks(phases, weeks)
    rest = tuple(p for p in phases if p.name not in given)
    fixed = sum(given.values())
    if weeks is not None and not rest and fixed != weeks:
        raise OptionError(
            f"--phase-weeks adds up to {fixed} weeks but --weeks is {weeks}; "
            f"make them agree or give only one of them"
        )
    if weeks is not None and rest and weeks - fixed < len(rest):
        raise OptionError(
            f"--phase-weeks takes {fixed} of the {weeks} weeks, leaving {max(0, weeks - fixed)} "
            f"for {', '.join(p.name for p in rest)}; each phase needs at least one week"
        )
    shared = iter(reshape_weeks(rest, None if weeks is None else weeks - fixed))
    return [given[p.name] if p.name in given else next(shared) for p in phases]


def cut_short(
    program: ProgramTemplate,
    lengths: list[int],
    library: dict[str, Exercise],
    log: Explanations,
) -> None:
    """Say what a phase made shorter leaves out of what the template writes for its later
    weeks (exercises limited to those weeks, pins): the plan no longer follows it there."""
    for phase, weeks in zip(program.phases, lengths, strict=True):
        if weeks >= phase.weeks:
            continue
        left = [
            library[e.exercise].name for e in phase.exercises if e.weeks and min(e.weeks) > weeks
        ]
        left += [
            f"the week-{pin.week} change to {library[e.exercise].name}"
            for e in phase.exercises
            for pin in e.pins
            if pin.week > weeks and not (e.weeks and min(e.weeks) > weeks)
        ]
        if left:
            log.decide(
                "weeks",
                phase.name,
                f"The {phase.name} phase is {weeks} of its {phase.weeks} weeks, so what the "
                f"template writes for its later weeks is left out: {join_and(left)}.",
            )
