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
        assert code == 0 and out.startswith("knee") and "24 sessions" in out
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
        assert run("plans", "list", "--db", other)[1].startswith("x ")
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
