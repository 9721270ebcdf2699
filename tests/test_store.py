"""The SQLite plan store: revisions, export memory, migrations and refusing bad files."""

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from planner.errors import OutputError, StoreError
from planner.exporters.event_versions import SlotState
from planner.models.calendar import CalendarOptions
from planner.store.database import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Published,
    default_path,
    open_store,
    resolve_path,
)
from tests.conftest import PlanFactory

WHEN = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused_untouched(path: Path, sql: str, message: str) -> None:
    """Run ``sql`` on the file with plain sqlite3, then check the store refuses it as is."""
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()
    before = digest_of(path)
    with pytest.raises(StoreError, match=message):
        open_store(path)
    assert digest_of(path) == before


def test_new_store_is_versioned_wal_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with open_store(path) as store:  # type: ignore[union-attr]
        assert store.list_plans() == []
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_read_only_open_creates_nothing(tmp_path: Path) -> None:
    assert open_store(tmp_path / "none.db", create=False) is None
    assert not (tmp_path / "none.db").exists()


def test_revisions_only_when_something_changed(tmp_path: Path, make_plan: PlanFactory) -> None:
    with open_store(tmp_path / "p.db") as store:  # type: ignore[union-attr]
        plan = make_plan()
        assert store.save("knee", "hip-knee", plan, CalendarOptions(), "first") == (1, True)
        assert store.save("knee", "hip-knee", plan, CalendarOptions(), "again") == (1, False)
        moved = make_plan(days=("tue", "thu", "sat"))
        assert store.save("knee", "hip-knee", moved, CalendarOptions(), "moved") == (2, True)
        teal = CalendarOptions(color="teal")
        assert store.save("knee", "hip-knee", moved, teal, "colour") == (3, True)
        revisions = store.revisions("knee")
        assert [r.number for r in revisions] == [3, 2, 1]
        assert revisions[0].calendar == teal and revisions[1].plan == moved
        assert store.latest("knee").plan == moved
        [info] = store.list_plans()
        assert (info.name, info.revisions, info.sessions) == ("knee", 3, len(moved.sessions))
        assert info.first == moved.sessions[0].date and info.title == moved.title


def test_revision_from_before_a_field_existed_matches_the_same_plan(
    tmp_path: Path, make_plan: PlanFactory
) -> None:
    # Issue 4 added personal options and decisions; a plan saved earlier has no such keys.
    path = tmp_path / "p.db"
    plan = make_plan()
    with open_store(path) as store:  # type: ignore[union-attr]
        store.save("knee", "hip-knee", plan, CalendarOptions(), "first")
    old = json.loads(plan.model_dump_json())
    del old["decisions"], old["options"]["avoid"], old["options"]["level"]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE revisions SET plan_json = ?", (json.dumps(old),))
    with open_store(path) as store:  # type: ignore[union-attr]
        assert store.save("knee", "hip-knee", plan, CalendarOptions(), "again") == (1, False)
        tailored = make_plan(avoid=("knee",))
        assert store.save("knee", "hip-knee", tailored, CalendarOptions(), "knee") == (2, True)


def test_delete_removes_everything_of_that_plan_only(
    tmp_path: Path, make_plan: PlanFactory
) -> None:
    with open_store(tmp_path / "p.db") as store:  # type: ignore[union-attr]
        for name in ("a", "b"):
            store.save(name, "hip-knee", make_plan(), CalendarOptions(), "")
            store.record_export(name, {"u@planner": SlotState("d", 0, WHEN)})
            store.record_published(name, "http://x/c/", "u@planner", Published("h", "d", None))
        store.delete("a")
        assert [i.name for i in store.list_plans()] == ["b"]
        assert store.exported("b") and store.published("b", "http://x/c/")
        rows = store._db.execute("SELECT count(*) FROM exported").fetchone()[0]
        assert rows == 1  # the cascade removed a's export memory
        with pytest.raises(StoreError, match=r"no saved plan named 'a'.*saved plans: b"):
            store.latest("a")


def test_export_memory_round_trips_and_a_failed_write_rolls_back(
    tmp_path: Path, make_plan: PlanFactory
) -> None:
    with open_store(tmp_path / "p.db") as store:  # type: ignore[union-attr]
        store.save("a", "hip-knee", make_plan(), CalendarOptions(), "")
        first = {"u1@planner": SlotState("d1", 0, WHEN), "u2@planner": SlotState("d2", 3, WHEN)}
        store.record_export("a", first)
        assert store.exported("a") == first

        def fail() -> None:
            raise OutputError("disk full")

        later = WHEN + dt.timedelta(hours=1)
        with pytest.raises(OutputError):
            store.record_export("a", {"u1@planner": SlotState("new", 1, later)}, fail)
        assert store.exported("a") == first


class TestBatch:
    def test_an_error_in_a_batch_undoes_every_write_in_it(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        path = tmp_path / "p.db"
        with open_store(path) as store:  # type: ignore[union-attr]
            store.save("a", "hip-knee", make_plan(), CalendarOptions(), "first")
            before = store.latest("a").number
            with pytest.raises(OutputError), store.batch():
                assert store.save("b", "hip-knee", make_plan(), CalendarOptions(), "")[1]
                store.record_export("b", {"u@planner": SlotState("d", 0, WHEN)})
                assert [i.name for i in store.list_plans()] == ["a", "b"]  # seen inside
                raise OutputError("disk full")
            assert [i.name for i in store.list_plans()] == ["a"]
            assert store.latest("a").number == before
            # What was read inside the batch is forgotten with it: no revision of a plan
            # that was never saved comes back from a cache.
            with pytest.raises(StoreError, match="no saved plan named 'b'"):
                store.latest("b")
            with pytest.raises(StoreError, match="no saved plan named 'b'"):
                store.exported("b")
        with open_store(path) as again:  # type: ignore[union-attr]
            assert [i.name for i in again.list_plans()] == ["a"]
            assert again._db.execute("SELECT count(*) FROM exported").fetchone()[0] == 0

    def test_a_full_disk_inside_a_batch_reports_itself_and_lands_nothing(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        # SQLITE_FULL rolls the whole transaction back: the error says the disk is full (not
        # "no such savepoint"), and a write the caller goes on with cannot land on its own.
        path = tmp_path / "p.db"
        with open_store(path) as store:  # type: ignore[union-attr]
            store.save("a", "hip-knee", make_plan(), CalendarOptions(), "first")
            pages = store._db.execute("PRAGMA page_count").fetchone()[0]
            store._db.execute(f"PRAGMA max_page_count = {pages}")
            big = make_plan(weeks=52)
            with pytest.raises(StoreError) as first, store.batch():
                store.record_export("a", {"u@planner": SlotState("d", 0, WHEN)})
                with pytest.raises(StoreError) as full:
                    store.save("b", "hip-knee", big, CalendarOptions(), "")
                store.record_export("a", {"v@planner": SlotState("e", 0, WHEN)})
            assert "full" in str(full.value) and "savepoint" not in str(full.value)
            assert "nothing of it was saved" in str(first.value)
        with open_store(path) as again:  # type: ignore[union-attr]
            assert [i.name for i in again.list_plans()] == ["a"]
            assert again.exported("a") == {}

    def test_writes_in_a_batch_land_together_and_a_failed_one_undoes_only_itself(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        path = tmp_path / "p.db"
        with open_store(path) as store:  # type: ignore[union-attr]
            store.save("a", "hip-knee", make_plan(), CalendarOptions(), "")

            def fail() -> None:
                raise OutputError("disk full")

            with store.batch():
                store.record_export("a", {"u1@planner": SlotState("d1", 0, WHEN)})
                with pytest.raises(OutputError):
                    store.record_export("a", {"u2@planner": SlotState("d2", 0, WHEN)}, fail)
                # Another connection sees nothing until the batch commits.
                with sqlite3.connect(path) as other:
                    assert other.execute("SELECT count(*) FROM exported").fetchone()[0] == 0
        with open_store(path) as again:  # type: ignore[union-attr]
            assert set(again.exported("a")) == {"u1@planner"}

    def test_a_read_only_store_refuses_a_batch(self, tmp_path: Path) -> None:
        path = tmp_path / "p.db"
        open_store(path).close()  # type: ignore[union-attr]
        with open_store(path) as store:  # type: ignore[union-attr]
            store._read_only = "the file is read-only"
            with pytest.raises(StoreError, match="cannot be written"), store.batch():
                pytest.fail("the batch ran on a read-only store")


# Opens the store in a process under a 100-byte file-size limit: SQLite can create the file
# but not write a page to it. SIGXFSZ is ignored so the write fails instead of the process.
_SIZE_LIMITED = """
import resource, signal, sys
from pathlib import Path
from planner.errors import StoreError
from planner.store.database import open_store
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
try:
    open_store(Path(sys.argv[1]))
except StoreError as exc:
    print(exc)
"""


def open_size_limited(path: Path) -> str:
    """What opening ``path`` under the file-size limit printed (its error)."""
    done = subprocess.run(
        [sys.executable, "-c", _SIZE_LIMITED, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert not done.stderr, done.stderr
    return done.stdout


def test_a_new_store_that_cannot_be_written_leaves_no_file(tmp_path: Path) -> None:
    # The empty file left behind would be taken for a new store on the next run.
    (tmp_path / "other.txt").write_text("kept")
    printed = open_size_limited(tmp_path / "plans.db")
    assert printed.startswith(f"{tmp_path / 'plans.db'}: "), printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.txt"]


def test_a_failed_open_of_an_empty_file_keeps_the_file(tmp_path: Path) -> None:
    # An empty file is a new store, but the person made it: it stays.
    path = tmp_path / "plans.db"
    path.touch()
    assert open_size_limited(path).startswith(f"{path}: ")
    assert path.exists() and path.stat().st_size == 0


def test_older_schema_is_migrated_and_keeps_its_data(
    tmp_path: Path, make_plan: PlanFactory
) -> None:
    path = tmp_path / "old.db"
    plan = make_plan()
    with open_store(path, target=1) as old:  # type: ignore[union-attr]
        old.save("knee", "hip-knee", plan, CalendarOptions(), "first")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    with open_store(path) as store:  # type: ignore[union-attr]
        assert store.latest("knee").plan == plan
        store.record_export("knee", {"u@planner": SlotState("d", 0, WHEN)})
        assert store.exported("knee")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(path).close()  # type: ignore[union-attr]
    assert_refused_untouched(
        path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}", "newer than this planner understands"
    )


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 50, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "damaged-header"],
)
def test_corrupt_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"damaged or not a planner database.*left untouched"):
        open_store(path)
    assert path.read_bytes() == content


def test_damaged_pages_are_refused(tmp_path: Path, make_plan: PlanFactory) -> None:
    path = tmp_path / "p.db"
    with open_store(path) as store:  # type: ignore[union-attr]
        for n in range(20):
            store.save(f"plan{n}", "hip-knee", make_plan(), CalendarOptions(), "")
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page : page + 200] = b"\x07" * 200  # scribble over page 2, a table root
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged or not a planner database"):
        open_store(path)
    assert path.read_bytes() == bytes(data)


def test_someone_elses_sqlite_file_is_refused(tmp_path: Path) -> None:
    assert_refused_untouched(
        tmp_path / "other.db", "CREATE TABLE notes (x TEXT)", "not a planner database"
    )


def test_missing_folder_and_folder_as_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"--db: folder .* does not exist"):
        open_store(tmp_path / "nope" / "p.db")
    with pytest.raises(StoreError, match=r"PLANNER_DB: .* is a folder"):
        open_store(tmp_path, "PLANNER_DB")


def test_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_path(tmp_path / "x.db") == (tmp_path / "x.db", "--db")
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "env.db"))
    assert resolve_path(None) == (tmp_path / "env.db", "PLANNER_DB")
    monkeypatch.delenv("PLANNER_DB")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "planner" / "plans.db"
    assert resolve_path(None) == (expected, "default")
    # The XDG folder is honoured and created on first use.
    with open_store(expected, "default") as store:  # type: ignore[union-attr]
        assert store.list_plans() == []
    assert expected.is_file()


@pytest.mark.parametrize(
    ("platform", "xdg", "folder"),
    [
        ("linux", None, (".local", "share")),
        ("linux", "", (".local", "share")),  # set but empty: as if unset
        ("darwin", "/elsewhere", ("Library", "Application Support")),
        ("win32", "/elsewhere", ("AppData", "Local")),  # LOCALAPPDATA unset
    ],
)
def test_default_path_without_xdg_and_on_other_systems(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    platform: str,
    xdg: str | None,
    folder: tuple[str, str],
) -> None:
    monkeypatch.setattr("sys.platform", platform)
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert default_path() == tmp_path.joinpath(*folder, "planner", "plans.db")


def test_checkins_are_all_kept_and_clearances_stored(
    tmp_path: Path, make_plan: PlanFactory
) -> None:
    from planner.models.log import Checkin, Clearance

    path = tmp_path / "log.db"
    with open_store(path, target=3) as old:  # type: ignore[union-attr]
        old.save("knee", "hip-knee", make_plan(), CalendarOptions(), "first")
        day = dt.date(2026, 12, 8)
        assert old.checkin("knee", Checkin(date=day, morning_pain=2, red_flags=("swelling",))) == []
    with open_store(path) as store:  # type: ignore[union-attr]
        second = Checkin(date=day, morning_pain=1)
        earlier = store.checkin("knee", second)
        assert [c.red_flags for c in earlier] == [("swelling",)]
        assert [c.morning_pain for c in store.checkins("knee")] == [2, 1]
        store.clear("knee", Clearance(date=day, note="seen by the physio"))
        [kept] = store.clearances("knee")
        assert (kept.date, kept.note) == (day, "seen by the physio")
        assert kept.recorded is not None  # orders it against a sign of the same day
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _sqlite_error(tmp_path: Path, kind: str) -> sqlite3.Error:
    """A real error from SQLite of each kind the store explains."""
    path = tmp_path / "e.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    actions = {
        "busy": lambda: _second_writer(path),
        "read-only": lambda: sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True).execute(
            "INSERT INTO t VALUES (1)"
        ),
        "cannot open": lambda: sqlite3.connect(
            f"{(tmp_path / 'missing' / 'x.db').as_uri()}?mode=ro", uri=True
        ),
        "damaged": lambda: _text_file(tmp_path / "text.db"),
    }
    with pytest.raises(sqlite3.Error) as caught:
        actions[kind]()
    return caught.value


def _second_writer(path: Path) -> None:
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("BEGIN IMMEDIATE")
    sqlite3.connect(path, timeout=0, isolation_level=None).execute("BEGIN IMMEDIATE")


def _text_file(path: Path) -> None:
    path.write_text("not a database\n" * 100)
    sqlite3.connect(path).execute("SELECT * FROM sqlite_master")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("busy", "busy in another planner process"),
        ("read-only", "the plan store is read-only"),
        ("cannot open", "cannot open the plan store"),
        ("damaged", "damaged or not a planner database"),
    ],
)
def test_sqlite_errors_are_told_apart_by_their_code(
    tmp_path: Path, kind: str, message: str
) -> None:
    from planner.store.sqlite_errors import explain

    exc = _sqlite_error(tmp_path, kind)
    assert message in explain(tmp_path, exc)
    # The words are SQLite's and may change or be translated; the code decides.
    reworded = type(exc)("database is locked: malformed, readonly, unable to open")
    reworded.sqlite_errorname = exc.sqlite_errorname  # type: ignore[attr-defined]
    assert message in explain(tmp_path, reworded)


def test_an_unknown_sqlite_error_keeps_its_words(tmp_path: Path) -> None:
    from planner.store.sqlite_errors import explain

    exc = sqlite3.OperationalError("database is locked")  # words alone decide nothing
    assert explain(tmp_path, exc) == f"{tmp_path}: plan store error: database is locked"


def test_cleanup_after_a_failed_open_never_removes_a_store_written_meanwhile(
    tmp_path: Path,
) -> None:
    # Another planner may open the new store between this one creating it and failing:
    # once any of the files holds bytes, none is removed.
    from planner.store.database import _remove_if_empty

    store, wal = tmp_path / "p.db", tmp_path / "p.db-wal"
    store.touch()
    wal.write_bytes(b"their writes")
    _remove_if_empty([store, wal])
    assert store.exists() and wal.read_bytes() == b"their writes"
    wal.write_bytes(b"")
    _remove_if_empty([store, wal, tmp_path / "p.db-shm"])
    assert not store.exists() and not wal.exists()
