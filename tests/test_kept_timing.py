"""A revision keeps the schedule options left out (issue 16, defect 4): --weeks, --time,
--tz and --duration stay as saved, the command says so, each has a spelling that clears
it, and bad combinations are refused before anything is saved."""

import re
from pathlib import Path

import pytest

from planner.store.database import open_store
from tests.helpers import assert_one_line_error, ics_text, run

BASE = ["generate", "hip-knee", "--start", "2026-12-07", "--name", "k"]
MOVE = [*BASE, "--days", "tue,thu,sat"]
TIMED = ["--time", "18:00", "--tz", "Europe/Berlin", "--duration", "45", "--weeks", "6"]


@pytest.fixture
def timed(tmp_path: Path, _isolated_store: Path) -> Path:
    """The plan 'k' saved timed, 6 weeks, with a 30-minute reminder."""
    code, _, err = run(*BASE, "--days", "mon,wed,fri", *TIMED, "--remind", "30m",
                       "--out", tmp_path / "k.ics")  # fmt: skip
    assert code == 0, err
    return tmp_path / "k.ics"


def _events(path: Path) -> str:
    """The events' lines (the VTIMEZONE's own DTSTARTs left out), without CRs."""
    text = ics_text(path).replace("\r\n", "\n")
    return text[text.index("BEGIN:VEVENT") :]


def starts(path: Path) -> list[str]:
    return re.findall(r"^DTSTART[;:](.+)$", _events(path), flags=re.MULTILINE)


def ends(path: Path) -> list[str]:
    return re.findall(r"^DTEND[;:](.+)$", _events(path), flags=re.MULTILINE)


def latest_options(db: Path) -> tuple[object, ...]:
    store = open_store(db)
    assert store is not None
    with store:
        options = store.latest("k").plan.options
    return options.weeks, options.time, options.tz, options.duration


class TestKept:
    def test_moving_days_keeps_time_zone_duration_and_weeks(
        self, timed: Path, _isolated_store: Path
    ) -> None:
        code, out, err = run(*MOVE, "--out", timed)
        assert code == 0, err
        assert (
            "kept from the saved plan: --weeks 6; --time 18:00; --tz Europe/Berlin; "
            "--duration 45" in out
        )
        found = starts(timed)
        assert len(found) == 18  # 6 weeks, 3 a week
        assert found[0] == "TZID=Europe/Berlin:20261208T180000"  # a Tuesday, still 18:00
        assert ends(timed)[0] == "TZID=Europe/Berlin:20261208T184500"
        assert "warning" not in err  # the reminder still means 30 min before 18:00

    def test_time_alone_keeps_the_zone(self, timed: Path) -> None:
        code, out, err = run(*MOVE, "--time", "07:15", "--out", timed)
        assert code == 0, err
        assert "--tz Europe/Berlin" in out and "--time" not in out.split("kept")[1][:12]
        assert starts(timed)[0] == "TZID=Europe/Berlin:20261208T071500"

    def test_zone_alone_keeps_the_time(self, timed: Path) -> None:
        code, out, err = run(*MOVE, "--tz", "America/New_York", "--out", timed)
        assert code == 0, err
        assert "--time 18:00" in out and "--tz Europe/Berlin" not in out
        assert starts(timed)[0] == "TZID=America/New_York:20261208T180000"


class TestCleared:
    def test_time_none_makes_it_all_day_and_warns_about_the_reminder(
        self, timed: Path, _isolated_store: Path
    ) -> None:
        code, out, err = run(*MOVE, "--time", "none", "--out", timed)
        assert code == 0, err
        assert starts(timed)[0] == "VALUE=DATE:20261208"
        assert ends(timed)[0] == "VALUE=DATE:20261209"
        assert latest_options(_isolated_store) == (6, None, None, None)
        assert "--tz" not in out and "--duration" not in out
        assert "warning: the kept reminder (--remind 30m) now counts back from midnight" in err
        assert "23:30 the day before" in err and "--remind none" in err

    def test_time_none_with_remind_given_says_nothing(self, timed: Path) -> None:
        code, _, err = run(*MOVE, "--time", "none", "--remind", "15h", "--out", timed)
        assert code == 0, err
        assert "warning" not in err

    def test_all_day_made_timed_warns_about_a_kept_reminder(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        out = tmp_path / "k.ics"
        assert run(*BASE, "--days", "mon,wed,fri", "--remind", "15h", "--out", out)[0] == 0
        code, _, err = run(*MOVE, "--time", "18:00", "--tz", "Europe/Berlin", "--out", out)
        assert code == 0, err
        assert "(--remind 15h) now counts back from 18:00: it fires at 03:00" in err

    def test_weeks_template_and_duration_template(self, timed: Path, _isolated_store: Path) -> None:
        code, out, err = run(*MOVE, "--weeks", "template", "--duration", "template",
                             "--out", timed)  # fmt: skip
        assert code == 0, err
        assert "8 weeks, 24 sessions" in out
        weeks, time, tz, duration = latest_options(_isolated_store)
        assert (weeks, duration, tz) == (None, None, "Europe/Berlin") and time is not None
        assert ends(timed)[0] != "TZID=Europe/Berlin:20261208T184500"  # the phase's length

    def test_clearing_spellings_are_in_the_help(self) -> None:
        code, out, _ = run("generate", "--help")
        assert code == 0
        flat = " ".join(out.split())
        assert "'none' = all-day" in flat
        assert "'template' = the template's length" in flat
        assert "'template' = each phase's" in flat


class TestRefused:
    @pytest.mark.parametrize(
        ("extra", "needle"),
        [
            (["--time", "none", "--tz", "Europe/Berlin"], "--tz only applies to timed sessions"),
            (["--time", "none", "--duration", "30"], "--duration only applies to timed"),
            (["--weeks", "0"], "--weeks: 0 is out of range"),
            (["--weeks", "six"], "--weeks: 'six' is not a number of weeks"),
            (["--duration", "2"], "--duration: 2 minutes is out of range"),
            (["--duration", "soon"], "--duration: 'soon' is not minutes"),
            (["--time", "25:00"], "--time: '25:00' is not a time"),
        ],
    )
    def test_a_bad_revision_saves_nothing(
        self, extra: list[str], needle: str, timed: Path, _isolated_store: Path
    ) -> None:
        before, written = _isolated_store.read_bytes(), timed.read_bytes()
        code, _, err = run(*MOVE, *extra, "--out", timed)
        assert_one_line_error(code, err, needle)
        assert _isolated_store.read_bytes() == before and timed.read_bytes() == written

    def test_time_on_an_all_day_plan_still_needs_a_zone(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        out = tmp_path / "k.ics"
        assert run(*BASE, "--days", "mon,wed,fri", "--out", out)[0] == 0
        before = _isolated_store.read_bytes()
        code, _, err = run(*MOVE, "--time", "07:00", "--out", out)
        assert_one_line_error(code, err, "--time needs --tz")
        assert _isolated_store.read_bytes() == before

    def test_a_new_plan_is_checked_the_same_way(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        code, _, err = run(*BASE, "--days", "mon,wed,fri", "--tz", "Europe/Berlin",
                           "--out", tmp_path / "k.ics")  # fmt: skip
        assert_one_line_error(code, err, "--tz only applies to timed sessions")
        assert not _isolated_store.exists()

    def test_an_unsaved_plan_takes_the_clearing_words_as_defaults(self, tmp_path: Path) -> None:
        out = tmp_path / "p.ics"
        code, _, err = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                           "mon,wed,fri", "--time", "none", "--weeks", "template",
                           "--out", out)  # fmt: skip
        assert code == 0, err
        assert starts(out)[0] == "VALUE=DATE:20261207"


class TestCalendarKept:
    """The calendar options a revision keeps are said too, not only the plan's."""

    def test_kept_reminder_and_name_are_said(self, tmp_path: Path, _isolated_store: Path) -> None:
        out_file = tmp_path / "k.ics"
        code, _, err = run(*BASE, "--days", "mon,wed,fri", "--remind", "30m",
                           "--calendar-name", "Anna; knee, hips", "--out", out_file)  # fmt: skip
        assert code == 0, err
        code, out, err = run(*MOVE, "--out", out_file)
        assert code == 0, err
        assert "--calendar-name 'Anna; knee, hips'; --remind 30m" in out
        assert "X-WR-CALNAME:Anna\\; knee\\, hips" in ics_text(out_file)

    def test_a_calendar_option_given_again_is_not_said_as_kept(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        out_file = tmp_path / "k.ics"
        code, _, err = run(*BASE, "--days", "mon,wed,fri", "--remind", "30m", "--out", out_file)
        assert code == 0, err
        code, out, err = run(*MOVE, "--remind", "1h", "--out", out_file)
        assert code == 0, err
        assert "--remind" not in out


class TestKeptThatCannotStand:
    def test_time_none_drops_a_saved_utc(self, tmp_path: Path, _isolated_store: Path) -> None:
        # Kept, --utc on an all-day plan would make every later export refuse the plan.
        out = tmp_path / "k.ics"
        code, _, err = run(*BASE, "--days", "mon,wed,fri", *TIMED, "--utc", "--out", out)
        assert code == 0, err
        code, said, err = run(*BASE, "--days", "mon,wed,fri", "--time", "none", "--out", out)
        assert code == 0, err
        assert "--utc" not in said
        code, _, err = run("export", "k", "--out", tmp_path / "e.ics")
        assert code == 0, err

    def test_a_plan_cannot_end_before_a_week_already_done(
        self, tmp_path: Path, _isolated_store: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2027-02-20")
        out = tmp_path / "k.ics"
        assert run(*BASE, "--days", "mon,wed,fri", "--weeks", "12", "--out", out)[0] == 0
        log = ["--exercise", "step-up", "--reps", "8,8", "--load", "4kg", "--pain", "1"]
        code, _, err = run("log", "k", "--session", "W10S1", *log, "--rpe", "6")
        assert code == 0, err
        before, written = _isolated_store.read_bytes(), out.read_bytes()
        code, _, err = run(*MOVE, "--weeks", "template", "--out", out)
        assert_one_line_error(code, err, "give --weeks 11 or more")
        assert _isolated_store.read_bytes() == before and out.read_bytes() == written
        code, _, err = run("plans", "list")
        assert code == 0, err
