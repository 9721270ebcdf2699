"""Saved plans through the CLI: generate --name, export, show, plans list/show/delete."""

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

import icalendar
import pytest

from tests.helpers import GEN, assert_one_line_error, run

MOVED = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "tue,thu,sat"]


def events(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    code, out, err = run(*GEN, "--name", "knee", "--out", tmp_path / "first.ics")
    assert code == 0, err
    assert "saved as 'knee' (revision 1)" in out and "24 new" in out
    return tmp_path


class TestGenerateName:
    def test_same_options_make_no_new_revision(self, saved: Path) -> None:
        code, out, _ = run(*GEN, "--name", "knee", "--out", saved / "again.ics")
        assert code == 0 and "no change to 'knee' (revision 1)" in out and "24 unchanged" in out
        assert sha(saved / "again.ics") == sha(saved / "first.ics")

    def test_moving_days_updates_the_same_events(self, saved: Path) -> None:
        code, out, _ = run(*MOVED, "--name", "knee", "--out", saved / "moved.ics")
        assert code == 0 and "revision 2" in out and "24 changed" in out
        before, after = events(saved / "first.ics"), events(saved / "moved.ics")
        assert before.keys() == after.keys()
        for uid, event in after.items():
            assert event["SEQUENCE"] == before[uid]["SEQUENCE"] + 1
            assert event["DTSTART"].dt != before[uid]["DTSTART"].dt
            assert event["LAST-MODIFIED"].dt > before[uid]["LAST-MODIFIED"].dt
        code, out, _ = run("plans", "show", "knee")
        assert "days: mon,wed,fri -> tue,thu,sat" in out and "highest SEQUENCE 1" in out

    def test_new_start_date_keeps_the_uids(self, saved: Path) -> None:
        later = ["generate", "hip-knee", "--start", "2027-01-04", "--days", "mon,wed,fri"]
        assert run(*later, "--name", "knee", "--out", saved / "later.ics")[0] == 0
        assert events(saved / "later.ics").keys() == events(saved / "first.ics").keys()

    def test_shorter_plan_keeps_a_subset_of_the_uids(self, saved: Path) -> None:
        code, _, _ = run(*GEN, "--weeks", "6", "--name", "knee", "--out", saved / "short.ics")
        assert code == 0
        short, first = events(saved / "short.ics"), events(saved / "first.ics")
        assert len(short) == 18 and set(short) < set(first)

    def test_calendar_options_are_kept_until_changed(self, saved: Path) -> None:
        run(*GEN, "--name", "knee", "--remind", "45m", "--color", "Teal", "--out", saved / "a.ics")
        data = (saved / "a.ics").read_bytes()
        assert b"TRIGGER:-PT45M" in data and b"COLOR:teal" in data
        code, out, _ = run("export", "knee", "--out", saved / "b.ics")
        assert code == 0 and "24 unchanged" in out
        assert sha(saved / "a.ics") == sha(saved / "b.ics")
        run("export", "knee", "--remind", "none", "--out", saved / "c.ics")
        assert b"VALARM" not in (saved / "c.ics").read_bytes()

    def test_a_failed_export_memory_write_saves_no_revision(self, saved: Path) -> None:
        # The revision and its export memory are one transaction: when the second write
        # fails, the first is undone, and the old calendar file stays as it was.
        db = Path(os.environ["PLANNER_DB"])
        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.execute(
                "CREATE TRIGGER no_memory BEFORE INSERT ON exported "
                "BEGIN SELECT RAISE(ABORT, 'no room for export memory'); END"
            )
            conn.commit()
        before = (saved / "first.ics").read_bytes()
        code, out, err = run(*MOVED, "--name", "knee", "--out", saved / "first.ics")
        assert_one_line_error(code, err, f"{db}: plan store error: no room for export memory")
        assert out == ""
        assert (saved / "first.ics").read_bytes() == before
        assert sorted(p.name for p in saved.iterdir()) == ["first.ics"]
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == 1


class TestExport:
    def test_unchanged_plan_exports_byte_identical(self, saved: Path) -> None:
        code, out, _ = run("export", "knee", "--out", saved / "again.ics")
        assert code == 0 and "revision 1, 24 sessions (0 changed, 0 new, 24 unchanged)" in out
        assert sha(saved / "again.ics") == sha(saved / "first.ics")

    def test_utc_only_for_timed_plans(self, saved: Path) -> None:
        code, _, err = run("export", "knee", "--utc", "--out", saved / "x.ics")
        assert_one_line_error(code, err, "--utc only applies to timed sessions")
        assert not (saved / "x.ics").exists()

    def test_timed_plan_in_utc(self, tmp_path: Path) -> None:
        timed = [*GEN, "--time", "18:00", "--tz", "Europe/Berlin", "--name", "t"]
        assert run(*timed, "--out", tmp_path / "t.ics")[0] == 0
        assert run("export", "t", "--utc", "--out", tmp_path / "u.ics")[0] == 0
        data = (tmp_path / "u.ics").read_bytes()
        assert b"VTIMEZONE" not in data and b"DTSTART:20261207T170000Z" in data

    def test_unknown_name_lists_the_saved_ones(self, saved: Path) -> None:
        run(*GEN, "--name", "other", "--out", saved / "o.ics")
        code, _, err = run("export", "kne", "--out", saved / "x.ics")
        assert_one_line_error(code, err, "no saved plan named 'kne'")
        assert "saved plans: knee, other" in err
        assert not (saved / "x.ics").exists()

    def test_bad_out_path_changes_nothing(self, saved: Path) -> None:
        before = run("plans", "show", "knee")[1]
        code, _, err = run("export", "knee", "--remind", "1h", "--out", saved / "no" / "x.ics")
        assert_one_line_error(code, err, "--out: folder")
        assert run("plans", "show", "knee")[1] == before

    @pytest.mark.parametrize(
        ("args", "needle"),
        [
            (["--remind", "soon"], "--remind: 'soon' is not a duration"),
            (["--remind", "8d"], "more than a week"),
            (["--color", "tealish"], "--color: 'tealish' is not a CSS colour name"),
            (["--refresh", "5m"], "--refresh: '5m' is out of range"),
            (["--calendar-name", "  "], "--calendar-name: give a name"),
        ],
    )
    def test_bad_calendar_options(self, saved: Path, args: list[str], needle: str) -> None:
        code, _, err = run("export", "knee", *args, "--out", saved / "x.ics")
        assert_one_line_error(code, err, needle)
        assert not (saved / "x.ics").exists()


class TestPlansCommands:
    def test_list_and_show(self, saved: Path) -> None:
        code, out, _ = run("plans", "list")
        header, row = out.splitlines()
        assert code == 0 and header.split() == [
            "name", "template", "rev", "start", "weeks", "last", "log", "status"
        ]  # fmt: skip
        assert row.split() == ["knee", "hip-knee", "1", "2026-12-07", "8", "-", "not", "started"]
        code, out, _ = run("plans", "show", "knee")
        assert code == 0 and "template hip-knee" in out and "first version" in out
        code, out, _ = run("show", "knee")
        assert code == 0 and "Week 1  activation" in out

    def test_empty_store(self, tmp_path: Path, _isolated_store: Path) -> None:
        code, out, _ = run("plans", "list")
        assert code == 0 and "no saved plans" in out
        for command in (["export", "knee", "--out", tmp_path / "k.ics"], ["show", "knee"],
                        ["plans", "show", "knee"], ["plans", "delete", "knee", "--yes"],
                        ["publish", "knee", "--caldav-url", "http://127.0.0.1:9/"]):  # fmt: skip
            code, _, err = run(*command)
            assert_one_line_error(code, err, "no saved plan named 'knee' (no plan store yet)")
        assert not _isolated_store.exists()  # none of them created a database
        assert not (tmp_path / "k.ics").exists()

    def test_delete_asks_first(self, saved: Path) -> None:
        code, out, _ = run("plans", "delete", "knee", stdin="n\n")
        assert code == 0 and "nothing deleted" in out
        assert run("plans", "show", "knee")[0] == 0
        code, _, err = run("plans", "delete", "knee", stdin="")
        assert_one_line_error(code, err, "add --yes")
        code, out, _ = run("plans", "delete", "knee", stdin="y\n")
        assert code == 0 and "deleted 'knee'" in out
        assert_one_line_error(*run("plans", "show", "knee")[::2], "no saved plan named 'knee'")

    def test_delete_yes(self, saved: Path) -> None:
        assert run("plans", "delete", "knee", "--yes")[0] == 0
        assert "no saved plans" in run("plans", "list")[1]

    def test_db_option_beats_the_environment(self, saved: Path, tmp_path: Path) -> None:
        other = tmp_path / "other.db"
        assert run(*GEN, "--name", "x", "--db", other, "--out", tmp_path / "x.ics")[0] == 0
        assert run("plans", "list", "--db", other)[1].splitlines()[1].startswith("x ")
        assert "x " not in run("plans", "list")[1]

    @pytest.mark.parametrize("command", [["plans", "show"], ["plans", "delete"], ["show"]])
    def test_unknown_name(self, saved: Path, command: list[str]) -> None:
        code, _, err = run(*command, "nope")
        assert_one_line_error(code, err, "nope")

    def test_bad_store_file_is_refused_and_kept(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.db"
        bad.write_bytes(b"not sqlite" * 100)
        code, _, err = run(*GEN, "--name", "k", "--db", bad, "--out", tmp_path / "k.ics")
        assert_one_line_error(code, err, "damaged or not a planner database")
        assert bad.read_bytes() == b"not sqlite" * 100
        assert not (tmp_path / "k.ics").exists()

    def test_utc_needs_timed_sessions(self, tmp_path: Path, _isolated_store: Path) -> None:
        code, _, err = run(*GEN, "--utc", "--name", "k", "--out", tmp_path / "k.ics")
        assert_one_line_error(code, err, "--utc only applies to timed sessions")
        assert not _isolated_store.exists() and not (tmp_path / "k.ics").exists()

    def test_name_must_be_printable(self, tmp_path: Path) -> None:
        code, _, err = run(*GEN, "--name", "a\tb", "--out", tmp_path / "k.ics")
        assert_one_line_error(code, err, "--name")


PERSONAL = [
    "generate", "hip-knee", "--start", "2026-11-03", "--days", "tue,thu,sat",
    "--time", "07:00", "--tz", "America/Chicago", "--duration", "40",
    "--equipment", "band,dumbbell", "--avoid", "knee", "--level", "intermediate",
    "--units", "lb", "--load", "single-leg-deadlift=15lb", "--bands", "yellow,red,green",
    "--phase-weeks", "activation=3", "--skip", "2026-11-26",
    "--calendar-name", "Knee work", "--color", "teal", "--remind", "30m", "--refresh", "90m",
]  # fmt: skip


@pytest.fixture
def personal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path) -> str:
    """A plan 'knee' made with every personal option, today in its third week."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-18")
    code, _, err = run(*PERSONAL, "--name", "knee", "--out", tmp_path / "k.ics")
    assert code == 0, err
    code, out, err = run("plans", "show", "knee")
    assert code == 0, err
    return out


class TestPlansShow:
    def test_every_personal_option_is_listed(self, personal: str) -> None:
        for line in (
            "  start: 2026-11-03 (Tue), 9 weeks",  # activation one week longer
            "  days: tue, thu, sat",
            "  time: 07:00 America/Chicago; length 40 min a session",
            "  equipment: band, dumbbell",
            "  pain flags: knee",
            "  level: intermediate",
            "  units: lb",
            "  starting loads: single-leg-deadlift=15lb",
            "  bands: yellow, red, green",
            "  phase weeks: activation=3",
            "  days off: 2026-11-26",
        ):
            assert line in personal.splitlines(), line
        calendar = next(line for line in personal.splitlines() if line.startswith("calendar:"))
        assert calendar == (
            "calendar: name Knee work, colour teal, reminder 30 min before, "
            "refresh every 1 h 30 min"
        )

    def test_defaults_are_said_as_the_templates(self, saved: Path) -> None:
        _, out, _ = run("plans", "show", "knee")
        assert "  equipment: any" in out and "  pain flags: none" in out
        assert "  starting loads: the template's" in out and "refresh every 12 h" in out
        assert " min" not in out.split("refresh every ")[1].split("\n")[0]

    def test_times_are_in_the_plans_zone(self, personal: str) -> None:
        revisions = personal.split("revisions:\n")[1].splitlines()
        assert revisions[0].split()[3] in ("CST", "CDT")  # America/Chicago, not UTC
        assert "UTC" not in personal


class TestPlansList:
    def test_a_table_of_status_and_last_log(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_store: Path
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-18")
        long_name = "a-very-long-plan-name-for-the-knee"
        plans = {
            "now": "2026-11-02",
            "later": "2026-12-07",
            "done": "2026-01-05",
            "stop": "2026-11-02",
            "away": "2026-11-02",
            long_name: "2026-11-02",
        }
        for name, start in plans.items():
            args = ["generate", "hip-knee", "--start", start, "--days", "mon,wed,fri"]
            code, _, err = run(*args, "--name", name, "--out", tmp_path / f"{name[:5]}.ics")
            assert code == 0, err
        run("log", "now", "--session", "W2S3", "--all-done", "--pain", "1")
        run("checkin", "stop", "--morning-pain", "2", "--red-flag", "swelling")
        assert run("pause", "away")[0] == 0
        code, out, _ = run("plans", "list")
        assert code == 0
        lines = out.splitlines()
        assert all(len(line) <= 80 for line in lines)
        assert lines[0].split()[:3] == ["name", "template", "rev"]
        rows = {line.split()[0]: line for line in lines[1:] if line[:1] != " "}
        assert rows["now"].endswith("2026-11-13  week 3 of 8")
        assert rows["later"].endswith("-           not started")
        assert rows["done"].endswith("over") and "SAFETY STOP" in rows["stop"]
        assert rows["away"].endswith("paused")
        assert "SAFETY STOP: red flags were reported" in out
        # A long name is never cut: it gets a line of its own, the row below it.
        at = lines.index(long_name)
        assert lines[at + 1].split()[:2] == ["hip-knee", "1"]


@pytest.mark.parametrize(
    "command",
    [
        ["plans", "show", "kneee"],
        ["plans", "delete", "kneee", "--yes"],
        ["history", "kneee"],
        ["log", "kneee", "--all-done", "--pain", "1"],
        ["export", "kneee", "--out", "x.ics"],
    ],
)
def test_a_mistyped_plan_name_gets_a_suggestion(saved: Path, command: list[str]) -> None:
    code, _, err = run(*command)
    assert_one_line_error(code, err, "no saved plan named 'kneee' (did you mean 'knee'?)")
