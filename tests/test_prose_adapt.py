"""What adapt and --explain say names the real cause: an extra week is blamed on the phase
extension that made it, not on red flags decided in the same run; a plan without loads is
not told its loads are in pounds."""

import datetime as dt

from planner.models import ExerciseLibrary, PlanOptions
from planner.models.adapt import Adjustment
from planner.plan.diff import diff_sessions
from planner.plan.generate import generate
from planner.templates import LoadedProgram
from tests.conftest import PlanFactory
from tests.helpers import run

STOP = Adjustment(
    week=2,
    kind="stop",
    phase="activation",
    rule="red flags: progression paused",
    reason="swelling logged in W1S3",
)
EXTEND = Adjustment(
    week=3,
    kind="extend",
    phase="activation",
    rule="activation goals not met yet: one more week",
    reason="clamshell not yet 3 x 15",
)


def _adapted(programs: dict[str, LoadedProgram], library: ExerciseLibrary, *decided: Adjustment):
    options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    program = programs["hip-knee"].program
    old = generate("hip-knee", program, library.by_id(), options)
    new = generate("hip-knee", program, library.by_id(), options, decided)
    return old, new, diff_sessions(old, new, 2, decided)


def test_an_extra_week_names_the_extension_not_the_red_flags(
    programs: dict[str, LoadedProgram], library: ExerciseLibrary
) -> None:
    # The stop comes first in the run, as adapt decides red flags first.
    old, new, changes = _adapted(programs, library, STOP, EXTEND)
    assert new.weeks == old.weeks + 1
    added = [line for c in changes for line in c.lines if line.startswith("new session")]
    assert added, changes
    assert all(f"[{EXTEND.rule}]" in line for line in added), added
    assert not any(STOP.rule in line for line in added)


def test_a_phase_pushed_later_names_the_extension(
    programs: dict[str, LoadedProgram], library: ExerciseLibrary
) -> None:
    # Without a stop the weeks after the extension are pushed later; with only an
    # extension decided, the cause is the extension.
    _, _, changes = _adapted(programs, library, EXTEND)
    shifted = [line for c in changes for line in c.lines if line.startswith("now ")]
    assert shifted and all(f"[{EXTEND.rule}]" in line for line in shifted), shifted


class TestLoadsUnit:
    def test_said_when_the_plan_has_loads(self, make_plan: PlanFactory) -> None:
        code, out, err = run(
            "generate",
            "hip-knee",
            "--start",
            "2026-12-07",
            "--days",
            "mon,wed,fri",
            "--units",
            "lb",
            "--explain",
            "--out",
            "-",
        )
        assert code == 0, err
        assert "in lb" in err + out

    def test_not_said_when_the_plan_has_no_loads(self) -> None:
        # runner-knee has no external loads: there is nothing to weigh in pounds.
        code, out, err = run(
            "generate",
            "runner-knee",
            "--start",
            "2026-12-07",
            "--days",
            "mon,wed,fri",
            "--units",
            "lb",
            "--explain",
            "--out",
            "-",
        )
        assert code == 0, err
        assert "Loads are in" not in err + out


def test_calendar_names_the_unit_only_with_loads(make_plan: PlanFactory) -> None:
    from planner.wording.plan import calendar_description, session_description

    bare = make_plan("runner-knee", units="lb")
    loaded = make_plan("hip-knee", units="lb")
    assert "loads in lb" not in calendar_description(bare)
    assert "loads in lb" not in session_description(bare, bare.sessions[0])
    assert "loads in lb" in calendar_description(loaded)
