"""Damaged, cut-short and read-only plan stores through every command that opens one.

A damaged store is refused with one line naming it and left exactly as it was (no write, no
migration, no ``-wal``/``-shm`` left behind); a bad row in a sound store is one line naming
the file, the row and the plan; a store the person cannot write still serves every read.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from tests.fuzzing import fuzz
from tests.helpers import assert_one_line_error, run

TODAY = "2026-11-18"
GEN = ["generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri"]

# Every command that opens the store, with what it needs; "{out}" is a file in a folder of
# its own, so a test sees every file a command leaves behind.
READS: dict[str, list[str]] = {
    "plans list": ["plans", "list"],
    "plans show": ["plans", "show", "k"],
    "show": ["show", "k"],
    "history": ["history", "k", "--all"],
    "progress": ["progress", "k"],
    "adapt --dry-run": ["adapt", "k", "--dry-run"],
    "export ics": ["export", "k", "--out", "{out}/k.ics"],
    "export html": ["export", "k", "--out", "{out}/k.html"],
}
WRITES: dict[str, list[str]] = {
    "generate --name": [*GEN, "--weeks", "8", "--name", "k", "--out", "{out}/g.ics"],
    "log": ["log", "k", "--exercise", "clamshell", "--pain", "1"],
    "checkin": ["checkin", "k", "--morning-pain", "1"],
    "clear": ["clear", "k", "--note", "seen again"],
    "adapt": ["adapt", "k"],
    "plans delete": ["plans", "delete", "k", "--yes"],
}
COMMANDS = {**READS, **WRITES}
# A publish that must fail before its password is asked (stdin is empty) or the server is
# reached (nothing listens on port 9, the discard port).
PUBLISH = ["publish", "k", "--caldav-url", "http://127.0.0.1:9/cal/", "--username", "me"]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", TODAY)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose every table holds rows: plan 'k' with two revisions, a log entry, a
    check-in with a red flag, a clearance and export memory."""
    folder = tmp_path_factory.mktemp("seed")
    db = folder / "plans.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_TODAY", TODAY)
        for args in (
            [*GEN, "--name", "k", "--out", folder / "k.ics"],
            [*GEN, "--weeks", "10", "--name", "k", "--out", folder / "k.ics"],
            ["log", "k", "--exercise", "clamshell", "--pain", "1"],
            ["checkin", "k", "--morning-pain", "2", "--red-flag", "locking"],
            ["clear", "k", "--note", "seen by the physio"],
            ["export", "k", "--out", folder / "e.ics"],
        ):
            code, _, err = run(*args, "--db", db)
            assert code == 0, (args, err)
    assert sorted(p.name for p in folder.iterdir()) == ["e.ics", "k.ics", "plans.db"]
    return db


@pytest.fixture
def store(seeded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded store, alone in its folder."""
    (tmp_path / "db").mkdir()
    (tmp_path / "out").mkdir()
    return Path(shutil.copy(seeded, tmp_path / "db" / "plans.db"))


def state(*folders: Path) -> dict[str, bytes]:
    """Every file in ``folders`` with its bytes."""
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def invoke(name: str, db: Path, out: Path) -> tuple[int, str, str]:
    args = [a.replace("{out}", str(out)) for a in COMMANDS[name]]
    return run(*args, "--db", db)


def edit(db: Path, sql: str) -> None:
    """Change the store with plain sqlite3, as another tool (or a bad disk) would."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(sql)
        conn.commit()


# --- damage the header and the index checks cannot both miss ---------------------------


def damage_index(db: Path) -> None:
    """Declare an index over other columns than its entries hold: every page is sound (the
    quick check passes) but the index no longer matches its table."""
    edit(
        db,
        "UPDATE sqlite_master SET sql = replace(sql, '(plan, slot, exercise, id)', "
        "'(plan, exercise, slot, id)') WHERE name = 'log_entries_key'",
    )
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"


class TestDamagedFile:
    @pytest.mark.parametrize("command", COMMANDS)
    def test_index_damage_is_refused_by_every_command_and_left_untouched(
        self, store: Path, command: str
    ) -> None:
        damage_index(store)
        before = state(store.parent, store.parent.parent / "out")
        code, _, err = invoke(command, store, store.parent.parent / "out")
        assert_one_line_error(code, err, f"{store}: the plan store is damaged")
        assert "missing from index" in err
        assert state(store.parent, store.parent.parent / "out") == before  # no -wal, -shm

    @pytest.mark.parametrize(
        "content",
        [b"S", b"SQLite format 3\x00", b"\x00" * 4096, b"plans\n"],
        ids=["one-byte", "header-only", "zeros", "text"],
    )
    @pytest.mark.parametrize("command", ["plans list", "history", "generate --name"])
    def test_a_file_cut_short_or_not_sqlite_is_refused_never_recreated(
        self, tmp_path: Path, content: bytes, command: str
    ) -> None:
        db = tmp_path / "plans.db"
        db.write_bytes(content)
        code, _, err = invoke(command, db, tmp_path)
        assert_one_line_error(code, err, f"{db}: the plan store is damaged")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["plans.db"]
        assert db.read_bytes() == content

    def test_a_truncated_real_store_is_refused(self, store: Path) -> None:
        with store.open("r+b") as file:
            file.truncate(1)
        code, _, err = invoke("generate --name", store, store.parent)
        assert_one_line_error(code, err, "not an SQLite database or is cut short")
        assert store.read_bytes() == b"S"

    def test_an_empty_file_is_a_new_store(self, tmp_path: Path) -> None:
        # 0 bytes is what SQLite itself makes of a new database: reads find no plans and
        # leave it empty; the first save makes it a store.
        db = tmp_path / "plans.db"
        db.touch()
        code, out, _ = invoke("plans list", db, tmp_path)
        assert code == 0 and "no saved plans" in out.lower()
        assert db.read_bytes() == b""
        code, _, err = invoke("generate --name", db, tmp_path)
        assert code == 0, err
        assert run("plans", "list", "--db", db)[1].count("k ") >= 1

    def test_a_device_is_not_a_store(self, tmp_path: Path) -> None:
        code, _, err = run("plans", "list", "--db", "/dev/null")
        assert_one_line_error(code, err, "/dev/null: the plan store is not a regular file")


# --- damaged rows in a sound file ------------------------------------------------------

BAD_UTF8 = "CAST(x'7bff22' AS TEXT)"
# (table, column, SQL value): each is what a hand edit or another tool could leave.
ROW_DAMAGE: dict[str, tuple[str, str, str]] = {
    "revision plan utf-8": ("revisions", "plan_json", BAD_UTF8),
    "revision plan json": ("revisions", "plan_json", "'{\"id\": '"),
    "revision plan shape": ("revisions", "plan_json", "'[]'"),
    "revision plan no sessions": ("revisions", "plan_json", "json_remove(plan_json, '$.sessions')"),
    "revision calendar json": ("revisions", "calendar", "'{'"),
    "revision created": ("revisions", "created", "'last tuesday'"),
    "revision created naive": ("revisions", "created", "'2026-11-02T10:00:00'"),
    "revision template utf-8": ("revisions", "template", BAD_UTF8),
    "revision number text": ("revisions", "number", "'three'"),
    "plan id utf-8": ("plans", "plan_id", BAD_UTF8),
    "plan name utf-8": ("plans", "name", BAD_UTF8),
    "log entry utf-8": ("log_entries", "entry_json", BAD_UTF8),
    "log entry json": ("log_entries", "entry_json", "'not json'"),
    "log entry pain": ("log_entries", "entry_json", "json_set(entry_json, '$.pain', 99)"),
    "log entry logged": ("log_entries", "logged", "'2026-13-45'"),
    "log entry slot": ("log_entries", "slot", BAD_UTF8),
    "check-in json": ("checkins", "checkin_json", "'{}'"),
    "check-in logged": ("checkins", "logged", "12"),
    "check-in day": ("checkins", "day", BAD_UTF8),
    "clearance json": ("clearances", "clearance_json", BAD_UTF8),
    "clearance logged": ("clearances", "logged", "'soon'"),
    "export modified": ("exported", "modified", "'never'"),
    "export sequence": ("exported", "sequence", "'x'"),
    "export digest": ("exported", "digest", BAD_UTF8),
    "snapshot json": ("snapshots", "snapshot_json", "'{\"template\": 1}'"),
    "snapshot utf-8": ("snapshots", "snapshot_json", BAD_UTF8),
}


def damage_row(db: Path, kind: str) -> None:
    """Damage the newest row of one table (for revisions, the latest revision)."""
    table, column, value = ROW_DAMAGE[kind]
    key = "number" if table == "revisions" else "rowid"
    edit(
        db, f"UPDATE {table} SET {column} = {value} WHERE {key} = (SELECT MAX({key}) FROM {table})"
    )


def check_outcome(
    code: int, err: str, db: Path, before: dict[str, bytes], after: dict[str, bytes]
) -> None:
    """The contract: success, or one error line about the store and nothing changed."""
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code == 1:
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert str(db) in err, err
        assert after == before


class TestDamagedRows:
    @pytest.mark.parametrize("kind", ROW_DAMAGE)
    def test_every_command_gives_one_line_naming_file_row_and_plan(
        self, store: Path, kind: str
    ) -> None:
        damage_row(store, kind)
        out = store.parent.parent / "out"
        refused = []
        for command in COMMANDS:
            before = state(store.parent, out)
            code, _, err = invoke(command, store, out)
            check_outcome(code, err, store, before, state(store.parent, out))
            if code == 1:
                refused.append(command)
                assert "has a damaged" in err and "restore a backup" in err, err
                assert "of plan 'k'" in err or kind == "plan name utf-8", err
            if command in WRITES and code == 0:
                break  # the store changed; later commands would test another store
        # Each damage is seen by at least the commands that read that table.
        assert refused, kind

    def test_the_message_names_the_revision(self, store: Path) -> None:
        damage_row(store, "revision plan json")
        with contextlib.closing(sqlite3.connect(store)) as conn:
            latest = conn.execute("SELECT MAX(number) FROM revisions").fetchone()[0]
        code, _, err = run("show", "k", "--db", store)
        assert_one_line_error(
            code, err, f"the store {store} has a damaged revision {latest} of plan 'k': plan_json"
        )

    def test_plans_list_names_the_damaged_plan(self, store: Path) -> None:
        damage_row(store, "revision plan no sessions")
        code, _, err = run("plans", "list", "--db", store)
        assert_one_line_error(code, err, "of plan 'k': plan_json sessions holds no value")

    def test_a_plan_with_a_damaged_revision_can_still_be_counted_and_deleted(
        self, store: Path
    ) -> None:
        from planner.store.database import open_store

        damage_row(store, "revision plan json")
        with open_store(store) as opened:  # type: ignore[union-attr]
            assert opened.revision_count("k") >= 2
            opened.delete("k")
            assert opened.list_plans() == []

    def test_plans_delete_deletes_a_plan_whose_revision_is_damaged(self, store: Path) -> None:
        damage_row(store, "revision plan json")
        with contextlib.closing(sqlite3.connect(store)) as conn:
            count = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
        code, out, err = run("plans", "delete", "k", "--yes", "--db", store)
        assert code == 0, err
        assert f"deleted 'k' ({count} revision(s))" in out
        assert "no saved plans" in run("plans", "list", "--db", store)[1]

    def test_publish_reads_the_log_before_asking_for_a_password(self, store: Path) -> None:
        # The password prompt reads stdin (empty here): reaching it would fail with "no
        # CalDAV password"; reaching the server (a closed port) with "cannot connect".
        damage_row(store, "check-in json")
        before = store.read_bytes()
        code, _, err = run(*PUBLISH, "--db", store)
        assert_one_line_error(code, err, "damaged check-in")
        assert store.read_bytes() == before

    def test_a_bad_log_entry_is_not_replaced_silently(self, store: Path) -> None:
        damage_row(store, "log entry json")
        before = store.read_bytes()
        code, _, err = invoke("log", store, store.parent)
        assert_one_line_error(code, err, "damaged log entry")
        assert store.read_bytes() == before

    @pytest.mark.slow  # 2-10 s by machine load: each example runs a command on a fresh copy
    @fuzz(40, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        kind=st.sampled_from(sorted(ROW_DAMAGE)),
        command=st.sampled_from(sorted(COMMANDS)),
        index=st.booleans(),
    )
    def test_fuzz_damage_and_command(
        self,
        seeded: Path,
        tmp_path_factory: pytest.TempPathFactory,
        kind: str,
        command: str,
        index: bool,
    ) -> None:
        folder = tmp_path_factory.mktemp("fuzz")
        out = folder / "out"
        out.mkdir()
        db = Path(shutil.copy(seeded, folder / "plans.db"))
        damage_row(db, kind)
        if index:
            damage_index(db)
        before = state(folder, out)
        code, _, err = invoke(command, db, out)
        check_outcome(code, err, db, before, state(folder, out))
        if index:
            assert code == 1 and "damaged" in err


# --- a store the person cannot write -----------------------------------------------------


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or folder) unwritable for this process, even as root: the
    immutable attribute stops root too, where mode bits do not."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


class TestReadOnlyStore:
    @pytest.mark.parametrize("what", ["file", "folder"])
    @pytest.mark.parametrize("command", READS)
    def test_reads_still_work_and_leave_nothing(self, store: Path, command: str, what: str) -> None:
        out = store.parent.parent / "out"
        copy = Path(shutil.copy(store, out.parent / "copy.db"))
        expected = invoke(command, copy, out)[1].replace(str(copy), str(store))
        written = state(out)
        for made in out.iterdir():
            made.unlink()
        before = store.read_bytes()
        with unwritable(store if what == "file" else store.parent):
            code, printed, err = invoke(command, store, out)
        assert code == 0, err
        assert printed == expected  # the same as from a writable copy of the store
        assert state(out) == written  # exports are written all the same
        assert store.read_bytes() == before
        assert sorted(p.name for p in store.parent.iterdir()) == ["plans.db"]

    @pytest.mark.parametrize("what", ["file", "folder"])
    @pytest.mark.parametrize("command", sorted(set(WRITES) - {"adapt"}))
    def test_writes_are_refused_in_one_line_naming_the_file(
        self, store: Path, command: str, what: str
    ) -> None:
        out = store.parent.parent / "out"
        before = state(store.parent, out)
        with unwritable(store if what == "file" else store.parent):
            code, _, err = invoke(command, store, out)
        reason = "the file is read-only" if what == "file" else "its folder is read-only"
        assert_one_line_error(code, err, f"{store}: the plan store cannot be written ({reason})")
        assert state(store.parent, out) == before

    @pytest.mark.parametrize("what", ["file", "folder"])
    def test_export_ics_writes_the_file_and_warns_its_memory_is_not_kept(
        self, store: Path, what: str
    ) -> None:
        out = store.parent.parent / "out"
        before = store.read_bytes()
        with unwritable(store if what == "file" else store.parent):
            code, printed, err = invoke("export ics", store, out)
        assert code == 0, err
        assert printed.startswith(f"wrote {out / 'k.ics'}")
        assert (out / "k.ics").stat().st_size > 0
        reason = "the file is read-only" if what == "file" else "its folder is read-only"
        warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
        assert warnings == [
            f"warning: {store} cannot be written ({reason}): this export was not recorded, "
            "so a later change may reach calendars with the SEQUENCE this file already used "
            "and be ignored; export again once the store is writable"
        ]
        assert store.read_bytes() == before

    @pytest.mark.parametrize("what", ["file", "folder"])
    def test_publish_is_refused_before_a_password_or_the_server(
        self, store: Path, what: str
    ) -> None:
        before = state(store.parent)
        with unwritable(store if what == "file" else store.parent):
            code, _, err = run(*PUBLISH, "--db", store)
        reason = "the file is read-only" if what == "file" else "its folder is read-only"
        assert_one_line_error(
            code, err, f"{store}: the plan store cannot be written ({reason}) and publish"
        )
        assert "writable, then publish again" in err
        assert state(store.parent) == before

    def test_an_old_read_only_store_is_refused_not_migrated(self, tmp_path: Path) -> None:
        from planner.store.database import open_store

        db = tmp_path / "old.db"
        open_store(db, target=2).close()  # type: ignore[union-attr]
        before = db.read_bytes()
        with unwritable(db):
            code, _, err = run("plans", "list", "--db", db)
        assert_one_line_error(code, err, "needs upgrading to this planner but cannot be written")
        assert db.read_bytes() == before
