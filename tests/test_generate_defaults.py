"""``planner generate TEMPLATE`` with nothing else: the next Monday, the template's sessions
a week spread over the week, ``TEMPLATE.ics``, and a line that says so; a start in the
past is fine, with a warning."""

import datetime as dt
import json
from pathlib import Path

import pytest

from planner.plan.schedule import DEFAULT_DAYS, next_monday, pick_days
from planner.templates import templates_root
from tests.helpers import GEN, assert_one_line_error, run


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-02")  # a Wednesday
    return tmp_path


def _first(path: Path) -> tuple[str, list[str]]:
    plan = json.loads(path.read_text())
    return plan["sessions"][0]["date"], plan["options"]["days"]


class TestDefaults:
    def test_no_options_writes_the_template_ics_and_says_its_defaults(self, here: Path) -> None:
        code, out, err = run("generate", "hip-knee", "--json", "p.json")
        assert code == 0, err
        assert (
            "Starting Mon 7 Dec 2026 on mon, wed, fri (defaults; choose with --start and --days)"
            in out.splitlines()
        )
        assert (here / "hip-knee.ics").is_file()
        assert _first(here / "p.json") == ("2026-12-07", ["mon", "wed", "fri"])

    def test_on_a_monday_the_next_monday_is_a_week_later(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-07")
        code, out, _ = run("generate", "hip-knee", "--json", "p.json")
        assert code == 0 and "Starting Mon 14 Dec 2026" in out
        assert _first(here / "p.json")[0] == "2026-12-14"

    @pytest.mark.parametrize(
        ("today", "monday"),
        [("2026-12-06", "2026-12-07"), ("2026-12-05", "2026-12-07"), ("2026-12-08", "2026-12-14")],
    )
    def test_next_monday(self, today: str, monday: str) -> None:
        assert next_monday(dt.date.fromisoformat(today)) == dt.date.fromisoformat(monday)

    def test_only_days_given_says_the_start(self, here: Path) -> None:
        code, out, _ = run("generate", "hip-knee", "--days", "tue,thu,sat")
        assert code == 0
        assert "Starting Mon 7 Dec 2026, the next Monday (default; choose with --start)" in out

    def test_only_start_given_says_the_days(self, here: Path) -> None:
        code, out, _ = run("generate", "hip-knee", "--start", "2026-12-09")
        assert code == 0
        assert "Training on mon, wed, fri (default for the template; choose with --days)" in out

    def test_given_start_and_days_say_no_defaults(self, here: Path) -> None:
        code, out, _ = run(*GEN)
        assert code == 0 and "default" not in out

    def test_two_sessions_a_week_go_on_tuesday_and_friday(self, here: Path) -> None:
        text = (templates_root() / "programs" / "hip-knee.toml").read_text()
        (here / "two.toml").write_text(
            text.replace("sessions_per_week = 3", "sessions_per_week = 2")
        )
        code, out, err = run("generate", "two.toml", "--json", "p.json")
        assert code == 0, err
        assert "on tue, fri (defaults" in out and (here / "two.ics").is_file()
        assert _first(here / "p.json") == ("2026-12-08", ["tue", "fri"])

    @pytest.mark.parametrize("n", range(1, 8))
    def test_default_days_are_as_spread_as_the_week_allows(self, n: int) -> None:
        days = DEFAULT_DAYS[n]
        assert len(days) == n
        every = tuple(range(7))
        best = pick_days(every, n)
        gaps = sorted((best[(i + 1) % n] - o) % 7 or 7 for i, o in enumerate(best))
        from planner.models.common import WEEKDAYS

        offsets = tuple(WEEKDAYS.index(d) for d in days)
        mine = sorted((offsets[(i + 1) % n] - o) % 7 or 7 for i, o in enumerate(offsets))
        assert min(mine) == min(gaps)  # no closer than the most even spread

    def test_a_saved_plan_revision_still_needs_start_and_days(self, here: Path) -> None:
        db = here / "plans.db"
        assert run(*GEN, "--name", "knee", "--db", db)[0] == 0
        before = db.read_bytes()
        code, _, err = run("generate", "hip-knee", "--days", "tue,thu,sat", "--name", "knee",
                           "--db", db, "--out", here / "again.ics")  # fmt: skip
        assert_one_line_error(code, err, "--start: a new revision of 'knee' needs --start")
        assert "--start 2026-12-07 --days mon,wed,fri" in err
        assert db.read_bytes() == before and not (here / "again.ics").exists()

    def test_a_new_saved_plan_takes_the_defaults(self, here: Path) -> None:
        code, out, _ = run("generate", "hip-knee", "--name", "knee", "--db", here / "plans.db")
        assert code == 0 and "(defaults; choose with --start and --days)" in out
        assert (here / "knee.ics").is_file()


class TestPastStart:
    def test_a_past_start_warns_and_works(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-17")
        code, out, err = run(*GEN, "--name", "knee", "--db", here / "plans.db")
        assert code == 0, err
        assert (
            "warning: --start 2026-12-07 is in the past: 5 session(s) are dated before today "
            "(2026-12-17); log what you did with 'planner log knee --session W1S1'"
        ) in err
        assert (here / "knee.ics").is_file() and "wrote" in out

    def test_unsaved_past_start_says_how_to_log(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-08")
        code, _, err = run(*GEN)
        assert code == 0 and "1 session(s) are dated before today" in err
        assert "save the plan with --name" in err

    def test_a_revision_of_a_running_plan_does_not_warn(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        db = here / "plans.db"
        assert run(*GEN, "--name", "knee", "--db", db)[0] == 0
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-17")
        code, _, err = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                           "mon,wed,sat", "--name", "knee", "--db", db)  # fmt: skip
        assert code == 0 and "in the past" not in err

    def test_today_is_not_the_past(self, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-07")
        code, _, err = run(*GEN)
        assert code == 0 and "in the past" not in err
