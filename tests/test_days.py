"""Training days: a phase's sessions rotate through its days, entries are done on theirs;
the A/B/C protocol generates exactly the table it was written from."""

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from planner.models import ExerciseLibrary, Plan, PlanOptions, ProgramTemplate
from planner.models.plan import Prescription
from planner.plan.days import session_day
from planner.plan.generate import generate
from planner.templates import load_program
from tests.fuzzing import fuzz
from tests.helpers import assert_one_line_error, ics_text, run

DATA = Path(__file__).parent / "data"
ABC = DATA / "abc-protocol.toml"
START = dt.date(2026, 12, 7)  # a Monday

# The protocol as written: week -> day -> exercises with sets x count (and band).
TABLE = {
    1: {
        "A": ["clamshell 2x10", "wall-sit 2x20s"],
        "B": ["glute-bridge 2x10", "wall-sit 2x20s"],
        "C": ["single-leg-stance 2x20s", "wall-sit 2x20s"],
    },
    2: {
        "A": ["clamshell 3x12", "wall-sit 2x25s"],
        "B": ["glute-bridge 2x12", "wall-sit 2x25s"],
        "C": ["single-leg-stance 2x20s", "lateral-band-walk 2x10 yellow", "wall-sit 2x25s"],
    },
    3: {
        "A": ["banded-clamshell 2x12 yellow", "wall-sit 2x30s"],
        "B": ["isometric-bridge-hold 3x20s", "step-down 2x8", "wall-sit 2x30s"],
        "C": [
            "standing-band-abduction 2x10 yellow",
            "lateral-band-walk 2x15 yellow",
            "wall-sit 2x30s",
        ],
    },
    4: {
        "A": ["banded-clamshell 3x12 red", "wall-sit 2x35s"],
        "B": ["glute-bridge 2x14", "step-down 2x10", "wall-sit 2x35s"],
        "C": [
            "standing-band-abduction 2x12 yellow",
            "lateral-band-walk 3x20 yellow",
            "wall-sit 2x35s",
        ],
    },
}


def cell(rx: Prescription) -> str:
    amount = f"{rx.seconds}s" if rx.seconds else str(rx.reps or rx.steps)
    return f"{rx.exercise} {rx.sets}x{amount}" + (f" {rx.band}" if rx.band else "")


def build(program: ProgramTemplate, library: ExerciseLibrary, **options: object) -> Plan:
    fields: dict[str, object] = {"start": START, "days": ("mon", "wed", "fri")}
    fields.update(options)
    return generate("t", program, library.by_id(), PlanOptions(**fields))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def abc(library: ExerciseLibrary) -> Plan:
    return build(load_program(str(ABC), library).program, library)


class TestProtocol:
    def test_generates_exactly_the_table_it_was_written_from(self, abc: Plan) -> None:
        got: dict[int, dict[str, list[str]]] = {}
        for s in abc.sessions:
            assert s.day is not None
            got.setdefault(s.week, {})[s.day] = [cell(rx) for rx in s.exercises]
        assert got == TABLE

    def test_each_day_once_a_week_in_order(self, abc: Plan) -> None:
        assert [s.day for s in abc.sessions] == ["A", "B", "C"] * 4
        assert [s.slot for s in abc.sessions[:3]] == ["W1S1", "W1S2", "W1S3"]

    def test_prescriptions_name_their_entry(self, abc: Plan) -> None:
        first = abc.sessions[0]
        assert [rx.entry for rx in first.exercises] == [0, 6]
        pinned = [rx for s in abc.sessions for rx in s.exercises if rx.pinned]
        assert [(rx.exercise, rx.entry) for rx in pinned] == [("isometric-bridge-hold", 2)]
        assert any("This week only" in n for n in pinned[0].notes)

    def test_json_round_trip(self, abc: Plan) -> None:
        assert Plan.model_validate_json(abc.model_dump_json()) == abc

    def test_deterministic(self, library: ExerciseLibrary, abc: Plan) -> None:
        again = build(load_program(str(ABC), library).program, library)
        assert again.model_dump_json() == abc.model_dump_json()

    def test_calendar_show_and_printout_name_the_day(self, tmp_path: Path) -> None:
        out, js = tmp_path / "p.ics", tmp_path / "p.json"
        args = ("generate", ABC, "--start", "2026-12-07", "--days", "mon,wed,fri")
        code, _, err = run(*args, "--out", out, "--json", js)
        assert code == 0, err
        text = ics_text(out)
        assert "SUMMARY:W1S1 Activation session (Day A)" in text
        assert "SUMMARY:W4S3 Activation session (Day C)" in text
        code, shown, err = run("show", js)
        assert code == 0, err
        assert " W1S2 (Day B):" in shown
        plan = Plan.model_validate(json.loads(js.read_text()))
        from planner.exporters.printout import session_when

        assert session_when(plan, plan.sessions[1]).startswith("W1S2 Day B ")

    def test_plans_without_days_keep_their_shape(self, make_plan: object) -> None:
        plan = make_plan()  # type: ignore[operator]
        assert all(s.day is None for s in plan.sessions)
        assert all(rx.entry is None and not rx.pinned for s in plan.sessions for rx in s.exercises)


def two_day_program(
    library: ExerciseLibrary, sessions: int, days: tuple[str, ...]
) -> ProgramTemplate:
    data = load_program(str(ABC), library).program.model_dump()
    phase = data["phases"][0]
    phase.update(sessions_per_week=sessions, days=list(days))
    entries = []
    for i, day in enumerate(days):
        entries.append(
            {
                "exercise": ["clamshell", "glute-bridge", "step-down", "squat"][i],
                "sets": 2,
                "reps": 10,
                "day": day,
            }
        )
    entries.append({"exercise": "wall-sit", "sets": 2, "seconds": 20})
    phase["exercises"] = entries
    return ProgramTemplate.model_validate(data)


class TestRotation:
    def test_two_days_three_sessions_alternate_across_weeks(self, library: ExerciseLibrary) -> None:
        plan = build(two_day_program(library, 3, ("A", "B")), library)
        by_week = [[s.day for s in plan.sessions if s.week == w] for w in (1, 2)]
        assert by_week == [["A", "B", "A"], ["B", "A", "B"]]
        w1s2 = plan.sessions[1]
        assert [rx.exercise for rx in w1s2.exercises] == ["glute-bridge", "wall-sit"]

    def test_one_session_a_week_each_entry_every_other_week(self, library: ExerciseLibrary) -> None:
        plan = build(two_day_program(library, 1, ("A", "B")), library, days=("mon",))
        clams = [
            (s.week, rx.reps)
            for s in plan.sessions
            for rx in s.exercises
            if rx.exercise == "clamshell"
        ]
        assert [w for w, _ in clams] == [1, 3]
        # The ladder moves only in the weeks the entry is done: no jump for the week off.
        walls = [
            rx.seconds for s in plan.sessions for rx in s.exercises if rx.exercise == "wall-sit"
        ]
        assert walls == [20, 20, 20, 20]

    @fuzz(40, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        n_days=st.integers(1, 4),
        sessions=st.integers(1, 4),
        weeks=st.integers(1, 8),
    )
    def test_each_session_follows_the_rotation(
        self, library: ExerciseLibrary, n_days: int, sessions: int, weeks: int
    ) -> None:
        days = ("A", "B", "C", "D")[:n_days]
        weekdays = ("mon", "tue", "thu", "fri", "sat")[: max(sessions, 1)]
        program = two_day_program(library, sessions, days)
        plan = build(program, library, days=weekdays, weeks=weeks)
        assert [s.day for s in plan.sessions] == [
            days[k % n_days] for k in range(len(plan.sessions))
        ]
        phase = program.phases[0]
        for s in plan.sessions:
            assert s.day == session_day(phase, s.week, s.index)
            own = [rx.exercise for rx in s.exercises if rx.exercise != "wall-sit"]
            assert own == [program.phases[0].exercises[days.index(s.day)].exercise]
        again = build(program, library, days=weekdays, weeks=weeks)
        assert again == plan


BAD = [
    ('days = ["A", "B", "C"]', 'days = ["A", "B", "C!"]', "days[2]", "a day is 1-20 letters"),
    (
        'exercise = "isometric-bridge-hold"',
        'exercise = "wall-sit"',
        "exercises[6].exercise",
        "in one session twice",
    ),
    ('days = ["A", "B", "C"]', 'days = ["A", "B", "Z"]', "days", "day 'C' is not one"),
    ('days = ["A", "B", "C"]', 'days = ["A", "B", "C", "A"]', "days", "listed twice"),
    ('days = ["A", "B", "C"]', 'days = ["A", "B", "C", "D"]', "days", "'D' has no exercise"),
    ('days = ["A", "B", "C"]\n', "\n", "exercises[0].day", "has no training days"),
    ("weeks = [3, 4]", "weeks = [3, 5]", "exercises[1].weeks", "week 5 is outside"),
    ("weeks = [1, 2]", "weeks = [2, 1]", "exercises[0].weeks", "in order"),
    (
        '{ week = 4, sets = 3, reps = 12, band = "red" }',
        '{ week = 2, sets = 3, reps = 12, band = "red" }',
        "exercises[1].pins.week",
        "not done",
    ),
    (
        "pins = [{ week = 2, sets = 3, reps = 12 }]",
        "pins = [{ week = 7, sets = 3, reps = 12 }]",
        "exercises[0].pins.week",
        "has 4 weeks",
    ),
    (
        '{ kind = "sets", at_weeks = [4] }',
        '{ kind = "sets", at_weeks = [1] }',
        "exercises[5].at_weeks",
        "sets rule: week 1",
    ),
    (
        'exercise = "isometric-bridge-hold", sets = 3, seconds = 20',
        'exercise = "isometric-bridge-hold", sets = 3, reps = 20',
        "exercises[2].pins[0].exercise",
        "dosed in hold; give 'seconds', not 'reps'",
    ),
    (
        'exercise = "isometric-bridge-hold", sets = 3, seconds = 20',
        'exercise = "isometric-bridge-hold", sets = 3',
        "exercises[2].pins[0].exercise",
        "give 'seconds' for its week",
    ),
    (
        'exercise = "isometric-bridge-hold", sets = 3, seconds = 20',
        'exercise = "isometric-bridge-holds", sets = 3, seconds = 20',
        "exercises[2].pins[0].exercise",
        "unknown exercise id",
    ),
    (
        'to = "standing-band-abduction", sets = 2, reps = 10, band = "yellow"',
        'to = "standing-band-abduction"',
        "exercises[4].to",
        "give its starting 'reps'",
    ),
    (
        'to = "standing-band-abduction", sets = 2, reps = 10, band = "yellow"',
        'to = "standing-band-abduction", seconds = 10, band = "yellow"',
        "exercises[4].to",
        "not 'seconds'",
    ),
    (
        'to = "standing-band-abduction", sets = 2, reps = 10, band = "yellow"',
        'to = "standing-band-abduction", reps = 10, band = "mauve"',
        "exercises[4].band",
        "not in the ladder",
    ),
]


class TestBadInput:
    @pytest.mark.parametrize(("old", "new", "path", "message"), BAD)
    def test_one_error_line_with_file_line_and_field(
        self, tmp_path: Path, old: str, new: str, path: str, message: str
    ) -> None:
        text = ABC.read_text()
        assert old in text
        bad = tmp_path / "bad.toml"
        bad.write_text(text.replace(old, new, 1))
        out = tmp_path / "x.ics"
        code, _, err = run(
            "generate", bad, "--start", "2026-12-07", "--days", "mon,wed,fri", "--out", out
        )
        assert_one_line_error(code, err, message)
        assert f"{bad}:" in err and path in err, err
        head = err.removeprefix(f"error: {bad}:").split(":")[0]
        assert head.isdigit(), err  # the line number
        assert not out.exists()
        # validate lists every problem (a wrong day name can leave two entries without
        # their day), each on its own error line.
        code, _, err = run("validate", bad)
        assert code == 1 and message in err, err
        assert all(line.startswith(f"error: {bad}:") for line in err.splitlines()), err

    def test_a_session_left_empty_is_refused(self, tmp_path: Path) -> None:
        text = ABC.read_text()
        every = text.index('[[phases.exercises]]\nexercise = "wall-sit"')
        # Day A's chain ends a week early and nothing is done in every session.
        text = text[:every].replace(
            "weeks = [3, 4]\nsets = 2\nreps = 12", "weeks = [3]\nsets = 2\nreps = 12"
        )
        text = text.replace('pins = [{ week = 4, sets = 3, reps = 12, band = "red" }]\n', "")
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        code, _, err = run("validate", bad)
        assert_one_line_error(code, err, "in week 4 the day A session has no exercise")
        assert f"{bad}:" in err and "phases[0].days" in err

    def test_day_on_warmup_is_refused(self, tmp_path: Path) -> None:
        text = ABC.read_text().replace(
            'activity = "Easy walking."',
            'activity = "Easy walking."\n'
            'exercises = [{ exercise = "glute-bridge", sets = 1, reps = 10, day = "A" }]',
        )
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        code, _, err = run("validate", bad)
        assert_one_line_error(code, err, "remove 'day' and 'weeks'")


def _with_days(program: ProgramTemplate) -> ProgramTemplate:
    """``program`` with days A and B in every phase: its entries by turns on day A, on
    day B and in every session, so each session holds some of them."""
    data = program.model_dump()
    for phase in data["phases"]:
        phase["days"] = ["A", "B"]
        for j, entry in enumerate(phase["exercises"]):
            entry["day"] = ("A", "B", None)[j % 3]
    return ProgramTemplate.model_validate(data)


def _days_diary() -> type:
    from planner.models.snapshot import TemplateSnapshot
    from planner.templates import LoadedProgram
    from tests import test_safety_machine as machine

    program = _with_days(machine.LOADED.program)
    loaded = LoadedProgram(
        machine.LOADED.slug, machine.LOADED.path, program, machine.LOADED.library
    )

    class DaysDiary(machine.SafetyDiary):
        """The safety state machine against the hip-knee plan with training days: every
        promise (a pause never rises, nothing harder after pain) holds per day too."""

        template_snapshot = TemplateSnapshot(
            template=loaded.slug, program=program, library=machine.LIBRARY
        )

    DaysDiary.loaded = loaded
    DaysDiary.TestCase.settings = fuzz(
        60,
        stateful_step_count=15,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    return DaysDiary


def test_with_days_the_rotation_holds_every_entry() -> None:
    from tests import test_safety_machine as machine

    program = _with_days(machine.LOADED.program)
    assert all(len(p.days) == 2 for p in program.phases)
    plan = generate(
        "k", program, machine.BY_ID, PlanOptions(start=START, days=("mon", "wed", "fri"))
    )
    assert [s.day for s in plan.sessions[:4]] == ["A", "B", "A", "B"]
    assert plan.sessions[0].exercises != plan.sessions[1].exercises


test_safety_diary_with_days = _days_diary().TestCase  # type: ignore[attr-defined]


def test_a_shorter_plan_says_what_it_leaves_out(library: ExerciseLibrary) -> None:
    """--weeks 2 on the four-week protocol: the later links of its chains and a later pin
    are not in the plan, and the plan says so instead of claiming to follow the template."""
    program = load_program(str(ABC), library).program
    options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"), weeks=2)
    plan = generate("abc", program, library.by_id(), options)
    said = [d.reason for d in plan.decisions if d.kind == "weeks" and d.where == "activation"]
    assert said == [
        "The activation phase is 2 of its 4 weeks, so what the template writes for its later "
        "weeks is left out: Banded clamshell, Step-down and the week-3 change to Glute bridge."
    ]
