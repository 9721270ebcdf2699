"""Phase lengths from --weeks and --phase-weeks."""

import pytest

from planner.errors import OptionError
from planner.models.plan import PhaseLength
from planner.plan.phases import phase_lengths
from planner.templates import LoadedProgram


def asked(**weeks: int) -> tuple[PhaseLength, ...]:
    return tuple(PhaseLength(phase=k, weeks=v) for k, v in weeks.items())


@pytest.fixture
def phases(programs: dict[str, LoadedProgram]):  # type: ignore[no-untyped-def]
    return programs["hip-knee"].program.phases  # 2, 3, 3 weeks


def test_template_lengths_by_default(phases) -> None:  # type: ignore[no-untyped-def]
    assert phase_lengths(phases, None, ()) == [2, 3, 3]


def test_given_phases_and_the_rest_unchanged(phases) -> None:  # type: ignore[no-untyped-def]
    assert phase_lengths(phases, None, asked(strength=5)) == [2, 5, 3]


def test_rest_of_weeks_shared_in_proportion(phases) -> None:  # type: ignore[no-untyped-def]
    assert phase_lengths(phases, 12, asked(activation=2)) == [2, 5, 5]
    assert phase_lengths(phases, 8, asked(activation=2, strength=4, functional=2)) == [2, 4, 2]


@pytest.mark.parametrize(
    ("weeks", "given", "needle"),
    [
        (
            None,
            {"warmup": 2},
            "--phase-weeks: 'warmup' is not a phase of this template; "
            "its phases are activation, strength, functional",
        ),
        (
            10,
            {"activation": 2, "strength": 4, "functional": 2},
            "--phase-weeks adds up to 8 weeks but --weeks is 10",
        ),
        (6, {"activation": 3, "strength": 3}, "leaving 0 for functional"),
        (4, {"activation": 3}, "leaving 1 for strength, functional; each phase needs at least"),
    ],
)
def test_lengths_that_do_not_add_up(phases, weeks, given, needle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OptionError, match=needle):
        phase_lengths(phases, weeks, asked(**given))
