"""``planner clear`` and the safety block of the training-loop commands, through the CLI."""

from pathlib import Path

import pytest

from planner.store.database import open_store
from tests.helpers import assert_one_line_error, run

START = ["generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri"]


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> Path:
    """A saved plan 'knee' from 2026-11-02, today the Wednesday of its first week."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-04")
    code, _, err = run(*START, "--name", "knee", "--out", tmp_path / "k.ics")
    assert code == 0, err
    return _isolated_store


def clearances(db: Path) -> int:
    store = open_store(db)
    assert store is not None
    with store:
        return len(store.clearances("knee"))


class TestClear:
    def test_a_clearance_is_stored_and_shown(self, knee: Path) -> None:
        run("checkin", "knee", "--morning-pain", "2", "--red-flag", "locking")
        code, out, err = run("clear", "knee", "--note", "seen by physio  J. Ng")
        assert code == 0, err
        assert "recorded a clinician's clearance on 2026-11-04: seen by physio J. Ng" in out
        # The clearance alone does not lift the pause: a clean week is still to come.
        assert "RED FLAGS" in err and "log every exercise of every session of a week" in err
        assert "planner clear" not in err.split("To lift the safety stop:")[1]
        _, table, _ = run("history", "knee")
        assert "clinician clearances:" in table and "seen by physio J. Ng" in table

    def test_a_clearance_with_nothing_waiting_says_so(self, knee: Path) -> None:
        code, out, _ = run("clear", "knee", "--note", "annual check", "--date", "2026-11-03")
        assert code == 0 and "no red flag was waiting for a clearance" in out
        assert clearances(knee) == 1

    @pytest.mark.parametrize(
        ("args", "needle"),
        [
            (["--note", "seen", "--date", "2026-11-05"], "--date: 2026-11-05 is after today"),
            (["--note", "seen", "--date", "yesterday"], "--date: 'yesterday' is not"),
            (["--note", "   "], "--note: say who cleared you and when"),
            (["--note", "x" * 501], "--note: say who cleared you and when"),
        ],
    )
    def test_bad_input_changes_nothing(self, knee: Path, args: list[str], needle: str) -> None:
        code, _, err = run("clear", "knee", *args)
        assert_one_line_error(code, err, needle)
        assert clearances(knee) == 0

    def test_unknown_plan(self, knee: Path) -> None:
        code, _, err = run("clear", "nope", "--note", "seen")
        assert_one_line_error(code, err, "no saved plan named 'nope'")

    def test_a_missing_note_is_a_usage_error(self, knee: Path) -> None:
        code, _, _ = run("clear", "knee")
        assert code == 2


class TestSafetyBlock:
    def test_a_pain_above_five_but_below_a_red_flag_gets_a_note(self, knee: Path) -> None:
        code, _, err = run("log", "knee", "--exercise", "clamshell", "--pain", "6")
        assert code == 0 and "pain 6/10 is above 5: stop Clamshell for today" in err
        assert "run 'planner adapt knee' before the next week starts" in err
        assert "RED FLAGS" not in err

    def test_every_command_that_shows_the_plan_shows_a_standing_flag(self, knee: Path) -> None:
        run("log", "knee", "--exercise", "clamshell", "--pain", "7")
        needle = "pain 7/10 during Clamshell (W1S2, Wed 4 Nov 2026)"
        for command in (
            ["checkin", "knee", "--morning-pain", "1"],
            ["adapt", "knee", "--dry-run"],
            ["log", "knee", "--exercise", "glute-bridge", "--pain", "1"],
        ):
            code, _, err = run(*command)
            assert code == 0 and needle in err, command
        for command in (["show", "knee"], ["history", "knee"], ["progress", "knee"]):
            code, out, _ = run(*command)
            assert code == 0 and needle in out, command
        code, out, _ = run("plans", "show", "knee")
        assert code == 0 and needle in out

    def test_a_replaced_red_flag_entry_still_counts(self, knee: Path) -> None:
        run("log", "knee", "--exercise", "clamshell", "--pain", "9")
        code, out, err = run("log", "knee", "--exercise", "clamshell", "--pain", "1")
        assert code == 0 and "the red flag it reported still counts" in out
        assert "pain 9/10 during Clamshell" in err


class TestAPlanGoesOutHeld:
    """A red flag need not come with a report (pain that has not eased becomes one as time
    passes): export, publish and the printouts hold the plan before it goes out."""

    @staticmethod
    def _flag_without_a_report(db: Path) -> None:
        # Written straight into the store, so no command held the plan for it.
        from planner.models.log import LogEntry

        store = open_store(db)
        assert store is not None
        with store:
            rx = store.latest("knee").plan.sessions[0].exercises[0]
            store.log("knee", [LogEntry(slot="W1S1", exercise=rx.exercise, done=(10,), pain=8)])

    def test_export_holds_and_saves_first(self, knee: Path, tmp_path: Path) -> None:
        self._flag_without_a_report(knee)
        code, out, err = run("export", "knee", "--out", tmp_path / "x.ics")
        assert code == 0, err
        assert "held the plan for safety first" in err and "revision 2" in out
        ics = (tmp_path / "x.ics").read_text()
        assert "(safety stop)" in ics
        store = open_store(knee)
        assert store is not None
        with store:
            latest = store.latest("knee").plan
        assert all(s.paused for s in latest.sessions if s.week == 1 and s.slot != "W1S1")

    def test_show_holds_and_saves_first(self, knee: Path) -> None:
        # show lists the weeks ahead: they must be the held weeks, and the same ones the
        # next look and the next export give.
        _, before, _ = run("show", "knee")
        self._flag_without_a_report(knee)
        code, out, err = run("show", "knee")
        assert code == 0, err
        assert "held the plan for safety first" in err and "revision 2" in err
        # The weeks ahead are held: week 2 no longer climbs as it did before the flag.
        assert out.split("Week 2")[1] != before.split("Week 2")[1]
        code, again, err = run("show", "knee")
        assert code == 0 and "held the plan" not in err
        assert again == out
        store = open_store(knee)
        assert store is not None
        with store:
            assert store.latest("knee").number == 2

    def test_a_printout_says_it_held_first(self, knee: Path, tmp_path: Path) -> None:
        self._flag_without_a_report(knee)
        code, out, err = run("export", "knee", "--out", tmp_path / "k.md")
        assert code == 0, err
        assert "held the plan for safety first" in err and "revision 2" in err
        assert "revision 2" in out  # the printout is of the held revision
