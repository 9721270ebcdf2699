"""planner pause, resume, move and skip through the CLI, on a saved plan in a tmp --db."""

import datetime as dt
from pathlib import Path

import pytest

from planner.models.plan import Plan
from planner.service.safety_hold import state_of
from planner.service.training import log_entries
from planner.store.database import open_store
from tests.doses import as_prescribed
from tests.helpers import assert_one_line_error, run

# hip-knee from Monday 2026-11-02, mon/wed/fri: activation weeks 1-2, strength 3-5.
START = ["generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> Path:
    """A saved plan 'knee' in its own store file; today is the day before it starts."""
    path = tmp_path / "life.db"
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-01")
    code, _, err = run(*START, "--name", "knee", "--out", tmp_path / "k.ics", "--db", path)
    assert code == 0, err
    return path


def today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("PLANNER_TODAY", day)


def latest(db: Path) -> Plan:
    store = open_store(db)
    assert store is not None
    with store:
        return store.latest("knee").plan


def contents(db: Path) -> list[tuple[int, str, str]]:
    """Every revision (number, reason, plan) and the log: what a refused command keeps."""
    store = open_store(db)
    assert store is not None
    with store:
        revisions = [
            (r.number, r.reason, r.plan.model_dump_json()) for r in store.revisions("knee")
        ]
        log = [(0, "log", e.model_dump_json()) for e in store.entries("knee", True)]
        return revisions + log


def log_weeks(db: Path, weeks: int, day: dt.date, pain: int = 1) -> None:
    """Log every session of the first ``weeks`` weeks as prescribed at ``pain``."""
    store = open_store(db)
    assert store is not None
    with store:
        plan = store.latest("knee").plan
        entries = [
            as_prescribed(s.slot, rx, pain, rpe=5)
            for s in plan.sessions
            if s.week <= weeks
            for rx in s.exercises
        ]
        log_entries(store, "knee", entries, day)


def by_slot(plan: Plan) -> dict[str, object]:
    return {s.slot: s for s in plan.sessions}


def doses(plan: Plan, week: int) -> dict[str, tuple[int, int | None, int | None, str | None]]:
    """Each exercise's sets, count and seconds, band in the first session of ``week``."""
    first = next(s for s in plan.sessions if s.week == week)
    return {
        rx.exercise: (rx.sets, rx.reps or rx.steps, rx.seconds, rx.band) for rx in first.exercises
    }


def no_more(
    after: tuple[int, int | None, int | None, str | None],
    before: tuple[int, int | None, int | None, str | None],
) -> bool:
    return all(a is None or b is None or a <= b for a, b in zip(after[:3], before[:3], strict=True))


class TestIllnessPause:
    def test_two_week_pause_then_resume_steps_back(
        self, db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        log_weeks(db, 2, dt.date(2026, 11, 14))
        today(monkeypatch, "2026-11-14")
        before = latest(db)
        code, out, err = run("pause", "knee", "--from", "2026-11-16", "--note", "flu", "--db", db)
        assert code == 0, err
        paused = latest(db)
        assert paused.options.pauses[0].end is None
        assert all(s.waiting for s in paused.sessions if s.week >= 3)
        assert not any(s.waiting for s in paused.sessions if s.week <= 2)
        assert "planner export knee" in out and "planner publish knee" in out
        # While the pause stands adapt decides nothing: the sessions wait, they are not missed.
        today(monkeypatch, "2026-11-25")
        code, out, _ = run("adapt", "knee", "--db", db)
        assert code == 0 and "paused since 2026-11-16" in out and "planner resume knee" in out
        assert latest(db).adjustments == paused.adjustments
        today(monkeypatch, "2026-11-30")
        code, out, err = run("resume", "knee", "--db", db)
        assert code == 0, err
        plan = latest(db)
        old = {s.slot: s.date for s in before.sessions}
        for s in plan.sessions:
            if s.week <= 2:
                assert s.date == old[s.slot]  # done: never moves
            elif s.slot in old:
                assert s.date == old[s.slot] + dt.timedelta(days=14)
        assert not any(s.waiting for s in plan.sessions)
        # The first week back asks for no more than week 2, and the plan says why.
        week2, week3 = doses(plan, 2), doses(plan, 3)
        for exercise, dose in week3.items():
            assert exercise in week2 and no_more(dose, week2[exercise]), exercise
        assert any(
            a.week == 3 and a.kind == "hold" and "break of 14 days" in a.reason
            for a in plan.adjustments
        )
        assert any(a.kind == "extend" for a in plan.adjustments)
        assert plan.weeks == before.weeks + 1  # no week of the plan is lost
        assert "back after a break of 14 days" in out and "Mujika & Padilla 2000" in out
        assert "moves by whole weeks, on the same weekdays" in out

    def test_a_break_twice_as_long_steps_below_what_was_done(
        self, db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        log_weeks(db, 2, dt.date(2026, 11, 14))
        today(monkeypatch, "2026-11-14")
        code, _, err = run(
            "pause", "knee", "--from", "2026-11-16", "--until", "2026-12-13", "--db", db
        )
        assert code == 0, err
        today(monkeypatch, "2026-12-14")
        code, out, err = run("resume", "knee", "--db", db)
        assert_one_line_error(code, err, "is not paused")  # closed by --until already
        code, out, err = run("adapt", "knee", "--db", db)
        assert code == 0, err
        plan = latest(db)
        assert by_slot(plan)["W3S1"].date == dt.date(2026, 12, 14)  # type: ignore[attr-defined]
        week2, week3 = doses(plan, 2), doses(plan, 3)
        assert all(no_more(d, week2[e]) for e, d in week3.items())
        assert any(d != week2[e] for e, d in week3.items())  # a step below, not the same
        back = [a for a in plan.adjustments if a.week == 3 and a.key is not None]
        assert back and all(a.kind == "regress" for a in back)
        assert "one step below what you last did" in out


class TestMoveAndSkip:
    def test_move_keeps_slot_and_warns_when_close(
        self, db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # W3S2 is Wednesday 2026-11-18 in the strength phase (48 h advised).
        code, out, err = run("move", "knee", "w3s2", "--to", "2026-11-19", "--db", db)
        assert code == 0, err
        plan = latest(db)
        session = by_slot(plan)["W3S2"]
        assert session.date == dt.date(2026, 11, 19)  # type: ignore[attr-defined]
        assert [m.slot for m in plan.options.moves] == ["W3S2"]
        assert [(m.slot, m.planned, m.date) for m in plan.moved] == [
            ("W3S2", dt.date(2026, 11, 18), dt.date(2026, 11, 19))
        ]
        assert "W3S2 2026-11-18 -> 2026-11-19" in out
        assert "24 h from W3S3" in err and "48 h is advised" in err
        # Back on its rhythm day: the move is gone.
        code, _, err = run("move", "knee", "W3S2", "--to", "2026-11-18", "--db", db)
        assert code == 0, err
        plan = latest(db)
        assert plan.options.moves == () and plan.moved == ()

    def test_force_moves_past_a_neighbour_with_a_plan_warning(self, db: Path) -> None:
        code, _, err = run("move", "knee", "W1S2", "--to", "2026-11-06", "--force", "--db", db)
        assert code == 0, err
        plan = latest(db)
        assert by_slot(plan)["W1S2"].date == dt.date(2026, 11, 6)  # type: ignore[attr-defined]
        assert any("out of order" in w for w in plan.warnings)

    def test_skip_marks_the_session(self, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        today(monkeypatch, "2026-11-04")
        code, out, err = run("skip", "knee", "W1S2", "--note", "work trip", "--db", db)
        assert code == 0, err
        plan = latest(db)
        assert by_slot(plan)["W1S2"].skipped  # type: ignore[attr-defined]
        assert plan.options.skipped[0].note == "work trip"
        assert plan.options.skipped[0].on == dt.date(2026, 11, 4)
        assert "recorded W1S2 as skipped" in out


BAD = [
    ([("skip", "W1S1")], ["move", "knee", "W1S1", "--to", "2026-11-03"], "done already"),
    ([], ["resume", "knee"], "is not paused"),
    ([("pause", "2026-11-16")], ["pause", "knee", "--from", "2026-11-30"], "paused already"),
    ([], ["pause", "knee", "--from", "2026-11-20", "--until", "2026-11-18"], "before --from"),
    (
        [("pause-until", "2026-11-16", "2026-11-22")],
        ["pause", "knee", "--from", "2026-11-20"],
        "overlaps the pause",
    ),
    ([], ["move", "knee", "W3S9", "--to", "2026-11-19"], "no session 'W3S9'"),
    ([], ["skip", "knee", "W99S1"], "no session 'W99S1'"),
    ([("skip", "W1S1")], ["skip", "knee", "W1S1"], "skipped already"),
    ([("skip", "W1S3")], ["pause", "knee", "--from", "2026-11-04"], "done already"),
    ([], ["move", "knee", "W1S2", "--to", "2026-11-09"], "not before W1S3"),
    ([], ["move", "knee", "W1S2", "--to", "2026-11-02"], "not after W1S1"),
    ([], ["move", "knee", "W1S2", "--to", "2026-11-04"], "nothing to move"),
    ([("pause", "2026-11-16")], ["move", "knee", "W3S2", "--to", "2026-11-20"], "in the pause"),
    ([("pause", "2026-11-16")], ["resume", "knee", "--on", "2026-11-16"], "on or before"),
    ([], ["pause", "knee", "--from", "2027-06-01"], "the plan is over"),
    ([], ["pause", "knee", "--from", "2026-13-01"], "not a date"),
    ([], ["move", "knee", "W1S2", "--to", "2026-11-05", "--note", " "], "--note"),
]


@pytest.mark.parametrize(("setup", "args", "needle"), BAD)
def test_bad_input_changes_nothing(
    db: Path, setup: list[tuple[str, ...]], args: list[str], needle: str
) -> None:
    for step in setup:
        if step[0] == "skip":
            cmd = ["skip", "knee", step[1]]
        elif step[0] == "pause":
            cmd = ["pause", "knee", "--from", step[1]]
        else:
            cmd = ["pause", "knee", "--from", step[1], "--until", step[2]]
        code, _, err = run(*cmd, "--db", db)
        assert code == 0, err
    before = contents(db)
    code, _, err = run(*args, "--db", db)
    assert_one_line_error(code, err, needle)
    assert contents(db) == before


def test_logged_session_cannot_be_moved_or_skipped(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_weeks(db, 1, dt.date(2026, 11, 7))
    today(monkeypatch, "2026-11-07")
    before = contents(db)
    for args, needle in (
        (["move", "knee", "W1S3", "--to", "2026-11-08"], "done already"),
        (["skip", "knee", "W1S3"], "logged already"),
        (["pause", "knee", "--from", "2026-11-06"], "done already"),
    ):
        code, _, err = run(*args, "--db", db)
        assert_one_line_error(code, err, needle)
    assert contents(db) == before


def test_usage_error_exits_two(db: Path) -> None:
    code, _, _ = run("move", "knee", "W1S2", "--db", db)  # --to is required
    assert code == 2


def test_resume_never_lifts_a_safety_stop(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_weeks(db, 1, dt.date(2026, 11, 7))
    today(monkeypatch, "2026-11-08")
    code, _, err = run(
        "checkin", "knee", "--morning-pain", "2", "--red-flag", "locking", "--db", db
    )
    assert code == 0, err
    code, _, err = run("pause", "knee", "--from", "2026-11-09", "--db", db)
    assert code == 0, err
    today(monkeypatch, "2026-11-16")
    code, _, err = run("resume", "knee", "--db", db)
    assert code == 0, err
    plan = latest(db)
    assert plan.options.pauses[0].end == dt.date(2026, 11, 16)
    store = open_store(db)
    assert store is not None
    with store:
        assert state_of(store, "knee", plan, dt.date(2026, 11, 16)).paused  # still stands
    # Resume's own line about the safety stop, and every safety line after it (the
    # standing stop's box), never call it a pause.
    line = next(x for x in err.splitlines() if "safety stop" in x and "still stands" in x)
    assert "pause" not in line
    assert not [x for x in err.splitlines() if "safety stop" in x.lower() and "pause" in x]
    # The sessions moved all the same (the calendar follows the person's break).
    assert by_slot(plan)["W2S1"].date == dt.date(2026, 11, 16)  # type: ignore[attr-defined]


def test_mid_phase_break_keeps_its_extra_week_through_later_runs(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Weeks 1-3 done; a two-week break from week 4 (strength, weeks 3-5).
    log_weeks(db, 3, dt.date(2026, 11, 21))
    today(monkeypatch, "2026-11-21")
    assert run("adapt", "knee", "--db", db)[0] == 0
    weeks = latest(db).weeks
    code, _, err = run("pause", "knee", "--from", "2026-11-23", "--until", "2026-12-06", "--db", db)
    assert code == 0, err
    today(monkeypatch, "2026-12-07")
    assert run("adapt", "knee", "--db", db)[0] == 0
    plan = latest(db)
    extend = [a for a in plan.adjustments if a.kind == "extend"]
    assert [(a.week, a.phase) for a in extend] == [(6, "strength")]
    assert plan.weeks == weeks + 1
    assert next(s for s in plan.sessions if s.week == 6).phase == "strength"
    for exercise, dose in doses(plan, 4).items():
        assert no_more(dose, doses(plan, 3)[exercise]), exercise
    # Later runs (deciding weeks 5, 6 and 7) keep the extra week.
    for week, day in ((4, "2026-12-12"), (5, "2026-12-19"), (6, "2026-12-26")):
        log_weeks(db, week, dt.date.fromisoformat(day))
        today(monkeypatch, day)
        code, _, err = run("adapt", "knee", "--db", db)
        assert code == 0, err
        plan = latest(db)
        assert plan.weeks == weeks + 1, week
        assert [a.week for a in plan.adjustments if a.kind == "extend"] == [6], week


def test_a_moved_session_after_the_start_moves_with_the_pause(db: Path) -> None:
    assert run("move", "knee", "W3S2", "--to", "2026-11-19", "--db", db)[0] == 0
    code, out, err = run(
        "pause", "knee", "--from", "2026-11-16", "--until", "2026-11-25", "--db", db
    )
    assert code == 0, err
    plan = latest(db)
    sessions = by_slot(plan)
    assert sessions["W3S1"].date == dt.date(2026, 11, 26)  # type: ignore[attr-defined]
    assert sessions["W3S2"].date == dt.date(2026, 11, 29)  # type: ignore[attr-defined]
    assert [m.date for m in plan.options.moves] == [dt.date(2026, 11, 29)]
    assert "10 days" in out and "onto other weekdays (now Thu, Sun, Mon)" in out
