"""The training-loop commands through the CLI: log, checkin, history, progress, adapt."""

from pathlib import Path

import pytest

from planner.store.database import open_store
from tests.helpers import assert_one_line_error, run

START = ["generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri"]


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> Path:
    """A saved plan 'knee' (weeks from 2026-11-02), with today in its third week."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-18")
    code, _, err = run(*START, "--name", "knee", "--out", tmp_path / "k.ics")
    assert code == 0, err
    return _isolated_store


def logged(db: Path, include_replaced: bool = False) -> int:
    store = open_store(db)
    assert store is not None
    with store:
        return len(store.entries("knee", include_replaced))


class TestLog:
    def test_one_exercise_is_stored_and_shown(self, knee: Path) -> None:
        code, out, _ = run(
            "log",
            "knee",
            "--session",
            "W1S1",
            "--exercise",
            "clamshell",
            "--reps",
            "15,14",
            "--pain",
            "2",
            "--rpe",
            "6.5",
            "--note",
            "easy",
        )
        assert code == 0 and out == "logged W1S1 clamshell: 15,14, pain 2\n"
        _, table, _ = run("history", "knee")
        rows = table.splitlines()
        head = rows.index("W1S1  Mon 2026-11-02")
        assert rows[head + 1].split() == [
            "clamshell",
            *["2", "x", "15", "per", "side"],
            "15,14",
            "2",
            "6.5",
        ]
        assert rows[head + 2].strip() == "easy"

    def test_logging_again_replaces_and_says_so(self, knee: Path) -> None:
        args = ["log", "knee", "--session", "W1S1", "--exercise", "clamshell", "--pain"]
        run(*args, "4")
        code, out, _ = run(*args, "1")
        assert code == 0 and "replaces the earlier entry: 15,15, pain 4" in out
        assert (logged(knee), logged(knee, include_replaced=True)) == (1, 2)
        _, table, _ = run("history", "knee", "--all")
        rows = table.splitlines()
        at = rows.index("    (replaced by the entry below)")
        assert rows[at - 1].split()[-2:] == ["4", "-"] and rows[at + 1].split()[-2:] == ["1", "-"]

    def test_session_defaults_to_the_latest_on_or_before_today(self, knee: Path) -> None:
        code, out, _ = run("log", "knee", "--exercise", "hip-thrust", "--pain", "0")
        assert code == 0 and out.startswith("logged W3S2 hip-thrust: 10,10,10 @ 30 kg")

    def test_load_and_band_are_checked_and_stored(self, knee: Path) -> None:
        code, out, _ = run(
            "log",
            "knee",
            "--session",
            "W3S1",
            "--exercise",
            "hip-thrust",
            "--load",
            "27.5kg",
            "--reps",
            "10,10,9",
            "--pain",
            "1",
        )
        assert code == 0 and "10,10,9 @ 27.5 kg" in out
        code, out, _ = run(
            "log",
            "knee",
            "--session",
            "W3S1",
            "--exercise",
            "lateral-band-walk",
            "--band",
            "yellow",
            "--pain",
            "1",
        )
        assert code == 0 and "@ yellow" in out

    def test_extra_sets_need_extra(self, knee: Path) -> None:
        args = ["log", "knee", "--session", "W1S1", "--exercise", "clamshell", "--pain", "1"]
        code, out, _ = run(*args, "--reps", "15,15,15", "--extra")
        assert code == 0 and "15,15,15" in out

    def test_interactive_log_takes_the_prescription_as_default(self, knee: Path) -> None:
        # Each exercise: done, pain, effort, form broke, note. Clamshell: Enter (as
        # prescribed), pain 2, effort 6, form broke, a note; abduction: a bad answer, then
        # 12,12, Enter for pain (asked again: never the last answer), 3, Enter for the rest;
        # glute bridge skipped; the rest as prescribed.
        answers = "\n2\n6\ny\nfront of hip\n" + "abc\n12,12\n\n3\n\n\n\n" + "skip\n"
        answers += "\n1\n\n\n\n" * 3
        code, out, err = run("log", "knee", "--session", "W1S1", stdin=answers)
        assert code == 0, err
        assert "logged W1S1 clamshell: 15,15, pain 2" in out
        assert "logged W1S1 side-lying-hip-abduction: 12,12, pain 3" in out
        assert "logged W1S1 glute" not in out
        assert "skipped W1S1 glute-bridge: not logged" in out
        assert "'abc' is not a count" in err
        assert err.count("pain is needed to keep the plan safe: 0 = none") == 1
        store = open_store(knee)
        assert store is not None
        with store:
            entries = {i.entry.exercise: i.entry for i in store.entries("knee")}
        clam = entries["clamshell"]
        assert (clam.rpe, clam.form_broke, clam.note) == (6.0, True, "front of hip")
        abduction = entries["side-lying-hip-abduction"]
        assert (abduction.rpe, abduction.form_broke, abduction.note) == (None, False, "")
        assert len(entries) == 5

    def test_the_pain_prompt_offers_no_earlier_answer(self, knee: Path) -> None:
        code, out, _ = run("log", "knee", "--session", "W1S1", stdin="\n4\n\n\n\n\n")
        # The input ends at the second pain prompt: Enter there must not have meant 4.
        after = out.split("pain during (0-10)")[1:]
        assert len(after) == 2 and not any(part.startswith(" [4]") for part in after)
        assert code == 130 and logged(knee) == 0

    def test_options_answer_for_every_exercise(self, knee: Path) -> None:
        answers = "\n\n\n" * 6  # done, pain (Enter: the --pain given), form broke
        code, out, err = run(
            "log", "knee", "--session", "W1S1", "--pain", "1", "--rpe", "5", "--note", "ok",
            stdin=answers,
        )  # fmt: skip
        assert code == 0, err
        assert "effort" not in out and "note (Enter" not in out and "form broke" in out

    @pytest.mark.parametrize("answers", ["\n2\n", "\n2\n6\n\n\n\n"])
    def test_interactive_log_cut_short_writes_nothing(self, knee: Path, answers: str) -> None:
        code, _, err = run("log", "knee", "--session", "W1S1", stdin=answers)
        assert code == 130
        assert "stopped before every exercise was answered; nothing was logged" in err
        assert "Traceback" not in err
        assert logged(knee, include_replaced=True) == 0

    def test_ctrl_c_mid_way_exits_130_with_nothing_stored(
        self, knee: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import typer

        answers = iter(["", "2", "", ""])

        def prompt(*args: object, **kwargs: object) -> str:
            try:
                return next(answers)
            except StopIteration:
                raise KeyboardInterrupt from None

        monkeypatch.setattr(typer, "prompt", prompt)
        monkeypatch.setattr(typer, "confirm", lambda *a, **k: False)
        code, _, err = run("log", "knee", "--session", "W1S1")
        assert code == 130 and "nothing was logged" in err
        assert logged(knee, include_replaced=True) == 0


BAD_LOG = [
    (["--pain", "11"], "--pain: 11 is outside 0-10"),
    (["--pain", "-1"], "--pain: '-1' is not a whole number from 0 to 10"),
    (["--pain", "abc"], "--pain: 'abc' is not a whole number"),
    (["--pain", "2.5"], "--pain: '2.5' is not a whole number"),
    (["--pain", "1", "--rpe", "10.5"], "--rpe: 10.5 is outside 0-10"),
    (["--pain", "1", "--rpe", "hard"], "--rpe: 'hard' is not a number"),
    (["--pain", "1", "--reps", "15,-3"], "--reps: '-3' is negative"),
    (["--pain", "1", "--reps", "15,x"], "--reps: 'x' is not a count"),
    (["--pain", "1", "--reps", "15,,15"], "--reps: '' is not a count"),
    (["--pain", "1", "--reps", "15,15,15"], "3 sets given but W1S1 prescribes 2"),
    (["--pain", "1", "--hold", "30,30"], "--hold: Clamshell is counted in reps"),
    (["--pain", "1", "--load", "20kg"], "--load: Clamshell in W1S1 takes no load"),
    (["--pain", "1", "--band", "red"], "--band: Clamshell in W1S1 uses no band"),
    ([], "--pain: say how much it hurt"),
]


class TestBadLog:
    @pytest.mark.parametrize(("extra", "needle"), BAD_LOG)
    def test_bad_values(self, knee: Path, extra: list[str], needle: str) -> None:
        code, _, err = run("log", "knee", "--session", "W1S1", "--exercise", "clamshell", *extra)
        assert_one_line_error(code, err, needle)
        assert logged(knee, include_replaced=True) == 0

    @pytest.mark.parametrize(
        ("args", "needle"),
        [
            (["--session", "W9S1", "--exercise", "clamshell"], "valid: W1S1-S3, W2S1-S3"),
            (["--session", "W5S1", "--exercise", "clamshell"], "after today (2026-11-18)"),
            (["--session", "W1S1", "--exercise", "squat"], "its exercises: clamshell, side-ly"),
            (
                ["--session", "W3S1", "--exercise", "hip-thrust", "--load", "60lb"],
                "this plan is in kg",
            ),
            (
                ["--session", "W3S1", "--exercise", "hip-thrust", "--load", "heavy"],
                "not a load with a unit",
            ),
            (
                ["--session", "W3S1", "--exercise", "lateral-band-walk", "--band", "pink"],
                "'pink' is not one of your bands",
            ),
            (
                ["--session", "W3S1", "--exercise", "lateral-band-walk", "--band", "yelow"],
                "'yelow' is not one of your bands (did you mean 'yellow'?)",
            ),
            (
                ["--session", "W3S1", "--exercise", "side-plank", "--reps", "10,10,10"],
                "--reps: Side plank is held in seconds",
            ),
        ],
    )
    def test_bad_slots_exercises_and_units(self, knee: Path, args: list[str], needle: str) -> None:
        code, _, err = run("log", "knee", *args, "--pain", "1")
        assert_one_line_error(code, err, needle)
        assert logged(knee, include_replaced=True) == 0

    @pytest.mark.parametrize(
        "command",
        [
            ["log", "nope", "--exercise", "clamshell", "--pain", "1"],
            ["checkin", "nope", "--morning-pain", "1"],
            ["history", "nope"],
            ["progress", "nope"],
            ["adapt", "nope"],
        ],
    )
    def test_unknown_plan(self, knee: Path, command: list[str]) -> None:
        code, _, err = run(*command)
        assert_one_line_error(code, err, "no saved plan named 'nope' in")
        assert "saved plans: knee" in err

    def test_dose_options_need_an_exercise(self, knee: Path) -> None:
        code, _, err = run("log", "knee", "--session", "W1S1", "--reps", "15,15", "--pain", "1")
        assert_one_line_error(code, err, "--reps/--hold/--load/--band need --exercise")
        assert logged(knee) == 0

    def test_bad_today_override(self, knee: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "tomorrow")
        code, _, err = run("adapt", "knee")
        assert_one_line_error(code, err, "PLANNER_TODAY: 'tomorrow' is not a date")

    def test_no_session_yet(self, knee: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-01")
        code, _, err = run("log", "knee", "--exercise", "clamshell", "--pain", "1")
        assert_one_line_error(code, err, "no session is on or before today (2026-11-01)")


class TestCheckin:
    def test_a_second_checkin_on_a_day_keeps_the_first(self, knee: Path) -> None:
        code, out, _ = run("checkin", "knee", "--morning-pain", "2", "--date", "2026-11-03")
        assert code == 0 and out == "checked in 2026-11-03: morning pain 2/10\n"
        code, out, _ = run("checkin", "knee", "--morning-pain", "1", "--date", "2026-11-03")
        assert "check-in 2 for this day; every one is kept and counts" in out
        _, table, _ = run("history", "knee")
        assert "2026-11-03  pain 2/10" in table and "2026-11-03  pain 1/10" in table

    def test_red_flags_print_the_advice(self, knee: Path) -> None:
        code, _, err = run("checkin", "knee", "--morning-pain", "3", "--red-flag", "swelling")
        assert code == 0 and "see a doctor or physiotherapist" in err.lower()
        assert "swelling reported on" in err and "safety stop since" in err.lower()

    @pytest.mark.parametrize(
        ("args", "needle"),
        [
            (["--morning-pain", "12"], "--morning-pain: 12 is outside 0-10"),
            (["--morning-pain", "x"], "--morning-pain: 'x' is not a whole number"),
            (["--morning-pain", "1", "--date", "2026-13-01"], "--date: '2026-13-01' is not"),
            (["--morning-pain", "1", "--date", "2026-11-19"], "after today (2026-11-18)"),
            (["--morning-pain", "1", "--red-flag", "itch"], "--red-flag: 'itch' is not a sign"),
            (
                ["--morning-pain", "1", "--red-flag", "sweling"],
                "'sweling' is not a sign planner knows (did you mean 'swelling'?)",
            ),
            (
                ["--morning-pain", "1", "--red-flag", "swelling", "--red-flag", "itch"],
                "--red-flag: 'itch' is not a sign",
            ),
        ],
    )
    def test_bad_checkins(self, knee: Path, args: list[str], needle: str) -> None:
        code, _, err = run("checkin", "knee", *args)
        assert_one_line_error(code, err, needle)
        _, table, _ = run("history", "knee")
        assert "nothing logged yet" in table


def log_week(week: int, pain: str = "1") -> None:
    for session in (1, 2, 3):
        code, _, err = run(
            "log", "knee", "--session", f"W{week}S{session}", "--all-done", "--pain", pain
        )
        assert code == 0, err


class TestProgressAndAdapt:
    def test_progress_shows_pain_bars_and_exercises(self, knee: Path) -> None:
        log_week(1, "2")
        run("checkin", "knee", "--morning-pain", "1", "--date", "2026-11-03")
        _, out, _ = run("progress", "knee")
        assert "week 1" in out and "██·······" in out
        assert "Clamshell" in out and "W1 15,15" in out

    def test_adapt_dry_run_then_save_then_export_only_changed(
        self, knee: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-14")  # after week 2
        log_week(1)
        log_week(2, "4")  # pain 3-5: every exercise holds
        _, before, _ = run("plans", "show", "knee")
        code, out, _ = run("adapt", "knee", "--dry-run")
        assert code == 0 and "dry run: nothing saved" in out and "would change" in out
        assert run("plans", "show", "knee")[1] == before
        code, out, err = run("adapt", "knee")
        assert code == 0, err
        assert "decisions for week 3:" in out and "saved as revision 2" in out
        changed = int(out.split("changed ")[1].split(" session(s)")[0])
        code, exported, _ = run("export", "knee", "--out", tmp_path / "k.ics")
        counts = exported.split("sessions (")[1].split(", ")
        updated, new = int(counts[0].split()[0]), int(counts[1].split()[0])
        # Only what adapt reported changes in the calendar; weeks 1-2 stay as they were.
        assert updated + new == changed and counts[2] == "6 unchanged)\n"
        code, again, _ = run("adapt", "knee")
        assert "the saved plan already reflects the log; nothing saved" in again

    def test_adapt_on_a_fresh_plan_changes_nothing(self, knee: Path) -> None:
        code, out, _ = run("adapt", "knee")
        assert code == 0 and "nothing logged" in out

    def test_generate_again_keeps_the_adjustments(
        self, knee: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-14")
        log_week(1)
        log_week(2, "6")
        assert run("adapt", "knee")[0] == 0
        code, out, _ = run(*START, "--name", "knee", "--out", tmp_path / "k.ics")
        assert code == 0 and "adjustment(s) from 'planner adapt'" in out
        assert "no change to 'knee'" in out
