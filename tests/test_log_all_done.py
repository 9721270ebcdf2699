"""``planner log --all-done``: a whole session as prescribed in one command, with the odd
exception (``--except``); nothing is stored unless all of it is right."""

from pathlib import Path

import pytest

from planner.models.log import LogEntry
from planner.store.database import open_store
from tests.helpers import assert_one_line_error, run

START = ["generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri"]
W3S2 = [
    "hip-thrust",
    "single-leg-deadlift",
    "single-leg-glute-bridge",
    "lateral-band-walk",
    "side-plank",
    "wall-squat",
]


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> Path:
    """A saved plan 'knee' (weeks from 2026-11-02), with today in its third week."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-18")
    code, _, err = run(*START, "--name", "knee", "--out", tmp_path / "k.ics")
    assert code == 0, err
    return _isolated_store


def stored(db: Path) -> dict[str, LogEntry]:
    store = open_store(db)
    assert store is not None
    with store:
        return {item.entry.exercise: item.entry for item in store.entries("knee", True)}


def log(*args: str) -> tuple[int, str, str]:
    return run("log", "knee", "--session", "W3S2", "--all-done", *args)


class TestAllDone:
    def test_every_exercise_is_stored_as_prescribed_with_the_same_pain(self, knee: Path) -> None:
        code, out, err = log("--pain", "1", "--rpe", "6")
        assert code == 0, err
        entries = stored(knee)
        assert list(entries) == W3S2  # in the session's order
        assert {e.pain for e in entries.values()} == {1}
        assert {e.rpe for e in entries.values()} == {6.0}
        assert entries["hip-thrust"].done == (10, 10, 10) and entries["hip-thrust"].load == 30
        assert entries["lateral-band-walk"].band == "red"
        assert out.count("logged W3S2 ") == len(W3S2)

    def test_exceptions_take_sets_loads_bands_pain_and_skips(self, knee: Path) -> None:
        code, out, err = log(
            "--pain",
            "1",
            "--except",
            "hip-thrust=10,10@27.5",  # a bare load is in the plan's units
            "--except",
            "lateral-band-walk=12,12@yellow",
            "--except",
            "side-plank=20,15 pain=3 form-broke",
            "--except",
            "wall-squat=skip",
        )
        assert code == 0, err
        entries = stored(knee)
        assert entries["hip-thrust"].done == (10, 10) and entries["hip-thrust"].load == 27.5
        assert entries["lateral-band-walk"].band == "yellow"
        plank = entries["side-plank"]
        assert (plank.done, plank.pain, plank.form_broke) == ((20, 15), 3, True)
        assert entries["single-leg-deadlift"].pain == 1
        assert "wall-squat" not in entries
        assert "skipped W3S2 wall-squat: not logged" in out

    def test_a_high_pain_takes_the_same_safety_path(self, knee: Path) -> None:
        code, _, err = log("--pain", "8")
        assert code == 0, err
        assert "warning: red flag:" in err and "safety stop" in err.lower()
        assert {e.pain for e in stored(knee).values()} == {8}


BAD = [
    (["--except", "clamshel=12,12", "--pain", "1"], "--except: no exercise 'clamshel'"),
    (
        ["--except", "wall-sqat=10,10", "--pain", "1"],
        "in session W3S2 (did you mean 'wall-squat'?)",
    ),
    (["--except", "clamshell=12,12", "--pain", "1"], "no exercise 'clamshell' in session W3S2"),
    (["--except", "hip-thrust", "--pain", "1"], "'hip-thrust' needs ID=what was done"),
    (["--except", "hip-thrust=10,x", "--pain", "1"], "--except hip-thrust: 'x' is not a count"),
    (["--except", "hip-thrust=10,10@60lb", "--pain", "1"], "this plan is in kg"),
    (["--except", "hip-thrust=10,10,10,10", "--pain", "1"], "4 sets given but W3S2"),
    (["--except", "side-plank=20 pain=11", "--pain", "1"], "side-plank pain: 11 is outside"),
    (["--except", "lateral-band-walk=@pink", "--pain", "1"], "'pink' is not one of your"),
    (["--except", "side-plank=20 20kg", "--pain", "1"], "takes no load"),
    (
        ["--except", "wall-squat=skip", "--except", "wall-squat=8", "--pain", "1"],
        "wall-squat is given twice",
    ),
    ([], "--pain: --all-done needs the pain you felt"),
    (["--pain", "1", "--reps", "10,10"], "--reps: --all-done logs every exercise"),
    (["--pain", "1", "--exercise", "hip-thrust"], "--exercise: --all-done logs every"),
    (["--pain", "1", "--form-broke"], "--form-broke: --all-done logs every"),
    (["--pain", "x"], "--pain: 'x' is not a whole number"),
]


class TestBadAllDone:
    @pytest.mark.parametrize(("args", "needle"), BAD)
    def test_refused_with_nothing_stored(self, knee: Path, args: list[str], needle: str) -> None:
        code, _, err = log(*args)
        assert_one_line_error(code, err, needle)
        assert stored(knee) == {}

    def test_every_exercise_skipped(self, knee: Path) -> None:
        skips = [arg for x in W3S2 for arg in ("--except", f"{x}=skip")]
        code, _, err = log("--pain", "1", *skips)
        assert_one_line_error(code, err, "every exercise of W3S2 is left out")
        assert stored(knee) == {}

    def test_except_needs_all_done(self, knee: Path) -> None:
        code, _, err = run("log", "knee", "--pain", "1", "--except", "hip-thrust=10")
        assert_one_line_error(code, err, "--except: only with --all-done")
        assert stored(knee) == {}

    def test_before_the_plan_starts_the_hint_is_not_refused(
        self, knee: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-01")
        code, _, err = run("log", "knee", "--all-done", "--pain", "1")
        assert_one_line_error(code, err, "the plan starts with W1S1 on 2026-11-02")
        # What the hint names is refused for the same reason, not a different one.
        code, _, again = run("log", "knee", "--session", "W1S1", "--all-done", "--pain", "1")
        assert_one_line_error(code, again, "after today (2026-11-01)")
        assert "--session W1S1" not in err


class TestNoPainIsLost:
    """Review findings: neither a skip nor a later --all-done may drop a pain given."""

    def test_a_skip_with_a_pain_is_refused(self, knee: Path) -> None:
        code, _, err = log("--pain", "1", "--except", "side-plank=skip pain=9")
        assert_one_line_error(code, err, "'skip' stores nothing")
        assert stored(knee) == {}

    def test_all_done_keeps_an_exercise_logged_earlier_in_the_session(self, knee: Path) -> None:
        one = ["--exercise", "hip-thrust", "--reps", "10,10,10", "--load", "30kg", "--pain", "5"]
        assert run("log", "knee", "--session", "W3S2", *one)[0] == 0
        code, out, err = log("--pain", "1")
        assert code == 0, err
        assert stored(knee)["hip-thrust"].pain == 5  # not replaced by the session's 1
        assert "kept what you logged earlier in W3S2 for hip-thrust" in out
        code, _, err = log("--pain", "1", "--except", "hip-thrust=10,10,10 pain=4")
        assert code == 0, err
        assert stored(knee)["hip-thrust"].pain == 4  # named in --except: changed on purpose
