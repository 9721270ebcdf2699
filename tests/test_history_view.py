"""``history``, ``progress`` and ``adapt`` as a person reads them: the prescribed order, the
exercises left out, the plan's own name in hints, 80 columns, and colour only on a
terminal."""

from pathlib import Path

import pytest

from planner.service.stores import store_at
from tests.helpers import run

START = ["generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri"]
YELLOW, RED_BOLD, RED = "\x1b[33m", "\x1b[1;31m", "\x1b[31m"


def ok(*args: str | Path) -> tuple[str, str]:
    code, out, err = run(*args)
    assert code == 0, err
    return out, err


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> Path:
    """A saved plan 'knee' (weeks from 2026-11-02), today in its third week, output piped."""
    for variable in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-18")
    ok(*START, "--name", "knee", "--out", tmp_path / "k.ics")
    return _isolated_store


def rows_of(out: str, slot: str) -> list[list[str]]:
    """The rows of one session in the history table, each split into words."""
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith(f"{slot}  "))
    rows = []
    for line in lines[at + 1 :]:
        if not line.startswith("  ") or not line.strip():
            break
        rows.append(line.split())
    return rows


class TestHistoryOrder:
    def test_a_relogged_exercise_keeps_its_place(self, knee: Path) -> None:
        base = ["log", "knee", "--session", "W1S1", "--exercise"]
        ok(*base, "clamshell", "--pain", "3")
        ok(*base, "side-lying-hip-abduction", "--pain", "1")
        ok(*base, "clamshell", "--pain", "2")  # logged again: last written, first prescribed
        out, _ = ok("history", "knee")
        exercises = [row[0] for row in rows_of(out, "W1S1")]
        assert exercises[:2] == ["clamshell", "side-lying-hip-abduction"]

    def test_exercises_left_out_are_shown_as_skipped(self, knee: Path) -> None:
        ok("log", "knee", "--session", "W1S2", "--all-done", "--pain", "1",
           "--except", "glute-bridge=skip", "--except", "wall-sit=skip")  # fmt: skip
        out, _ = ok("history", "knee")
        rows = {row[0]: row for row in rows_of(out, "W1S2")}
        assert rows["glute-bridge"][-3:] == ["skipped", "-", "-"]
        assert rows["wall-sit"][-3:] == ["skipped", "-", "-"]
        assert rows["clamshell"][-2:] == ["1", "-"]
        # The sessions with nothing logged are listed as missed, in plan order.
        assert "W1S1 Mon 2 Nov — missed" in out and "W1S3 Fri 6 Nov — missed" in out

    @pytest.mark.parametrize("command", ["history", "progress"])
    def test_the_hint_names_the_plan(self, knee: Path, command: str) -> None:
        out, _ = ok(command, "knee")
        assert "log a session with 'planner log knee --session W1S1'" in out
        assert "planner log NAME" not in out


LONG = "Single-leg Romanian deadlift to a box, slow on the way down"


@pytest.fixture
def long_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> str:
    """A 26-week plan whose exercises have long names, with weeks 1-4 logged (long notes,
    high pain, a red flag in a check-in) and today in week 5."""
    for variable in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-30")
    name = "a-plan-with-a-rather-long-name-for-a-runner-with-knee-pain"
    ok(*START, "--weeks", "26", "--name", name, "--out", tmp_path / "k.ics")
    note = "felt it at the front of the knee going down the stairs afterwards, " * 3
    for week in range(1, 5):
        for index in (1, 2, 3):
            pain = "4" if week == 3 else "1"
            ok("log", name, "--session", f"W{week}S{index}", "--all-done", "--pain", pain,
               "--rpe", "6.5", "--note", note.strip())  # fmt: skip
    ok("checkin", name, "--morning-pain", "2", "--date", "2026-11-24", "--red-flag",
       "swelling,night-pain,giving-way")  # fmt: skip
    # Renamed last: the check-in's red flags hold the plan, rebuilt from the template.
    store = store_at(None)
    assert store is not None
    with store:
        latest = store.latest(name)
        plan = latest.plan
        sessions = tuple(
            s.model_copy(
                update={
                    "exercises": tuple(
                        rx.model_copy(update={"name": f"{LONG} ({rx.exercise})"})
                        for rx in s.exercises
                    )
                }
            )
            for s in plan.sessions
        )
        plan = plan.model_copy(update={"sessions": sessions})
        store.save(name, latest.template, plan, latest.calendar, "test: long names")
    return name


class TestEightyColumns:
    @pytest.mark.parametrize(
        "command", [["history"], ["history", "--all"], ["progress"], ["adapt", "--dry-run"]]
    )
    def test_every_line_fits(self, long_plan: str, command: list[str]) -> None:
        code, out, err = run(command[0], long_plan, *command[1:])
        assert code == 0, err
        assert len(out.splitlines()) > 5
        too_long = [line for line in (out + err).splitlines() if len(line) > 80]
        assert too_long == []

    def test_wrapping_keeps_the_words(self, long_plan: str) -> None:
        out, _ = ok("history", long_plan)
        flat = " ".join(out.split())
        assert "felt it at the front of the knee going down the stairs afterwards" in flat
        # Given once for each of 12 sessions, three times over: shown once a session.
        assert flat.count("felt it at the front of the knee") == 3 * 12
        assert "red flags: swelling, night-pain, giving-way" in flat


class TestColour:
    def log_some(self) -> None:
        for slot, pain in (("W1S1", "2"), ("W1S2", "4"), ("W1S3", "6")):
            ok("log", "knee", "--session", slot, "--all-done", "--pain", pain)
        ok("checkin", "knee", "--morning-pain", "1", "--red-flag", "swelling")

    def test_on_a_terminal_pain_and_red_flags_are_marked(
        self, knee: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.log_some()
        monkeypatch.setenv("FORCE_COLOR", "1")  # stands for a terminal
        out, _ = ok("history", "knee")
        rows = {slot: out.split(f"{slot}  ")[1].split("\n")[1] for slot in ("W1S1", "W1S2")}
        assert "\x1b" not in rows["W1S1"]  # pain 2: plain
        assert f"{YELLOW}4\x1b[0m" in rows["W1S2"]
        assert f"{RED_BOLD}6\x1b[0m" in out.split("W1S3  ")[1]
        assert f"{RED}RED FLAGS" in out and f"{RED}  2026-11-18  pain 1/10  red flags" in out
        progress, _ = ok("progress", "knee")
        assert RED_BOLD in progress

    @pytest.mark.parametrize(
        "env", [{}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"TERM": "dumb", "FORCE_COLOR": "1"}]
    )
    def test_plain_when_piped_or_asked(
        self, knee: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
    ) -> None:
        self.log_some()
        for variable, value in env.items():
            monkeypatch.setenv(variable, value)
        for command in ("history", "progress", "adapt"):
            code, out, err = run(command, "knee")
            assert code == 0, err
            assert "\x1b" not in out + err
