"""Sealed rows: what the store reads back without validation, and what it never does.

A JSON row this planner wrote carries a seal (a digest of its text with what validated it);
a read rebuilds it without validation only while the seal matches. These tests hold the
fast read to the validated one (the same models, field by field), and hold every row that
is not provably this planner's (edited, damaged, written by another version, migrated from
an older store) to exactly the errors, repairs and output the validated read gives.
"""

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from planner.models.calendar import CalendarOptions
from planner.models.log import LogEntry
from planner.store import database, trust
from planner.store.database import Store, open_store
from planner.store.schema import SCHEMA_VERSION
from planner.validation_key import key_of, validation_key
from tests.conftest import SLUGS, PlanFactory
from tests.helpers import run

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"
START = "2026-11-02"
JSON_TABLES = ("revisions", "snapshots", "log_entries", "checkins", "clearances")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", TODAY)


def cli(db: Path, *args: str | Path) -> tuple[int, str, str]:
    code, out, err = run(*args, "--db", db)
    assert code == 0, (args, err)
    return code, out, err


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store written by this planner: every shipped template saved, one plan ('k') with
    eight sessions logged (odd ones out, notes, a broken form), check-ins, a pause, a red flag
    and the safety stop adapt makes of it, a clearance, a moved and a skipped session."""
    folder = tmp_path_factory.mktemp("trust")
    db = folder / "plans.db"
    days = ["--start", START, "--days", "mon,wed,fri"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_TODAY", TODAY)
        for slug in SLUGS:
            cli(db, "generate", slug, *days, "--name", f"t-{slug}", "--out", folder / "t.ics")
            cli(db, "log", f"t-{slug}", "--session", "W1S1", "--all-done", "--pain", "0")
            cli(db, "checkin", f"t-{slug}", "--morning-pain", "1")
        cli(db, "generate", "hip-knee", *days, "--name", "k", "--out", folder / "k.ics")
        for slot in ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2", "W2S3", "W3S1", "W3S2"):
            cli(db, "log", "k", "--session", slot, "--all-done", "--pain", "1", "--rpe", "6")
        cli(db, "log", "k", "--session", "W2S2", "--exercise", "clamshell", "--reps", "12,10",
            "--pain", "3", "--note", "felt it in the front of the hip", "--form-broke")  # fmt: skip
        cli(db, "checkin", "k", "--morning-pain", "2")
        cli(db, "adapt", "k")
        cli(db, "pause", "k", "--from", "2026-12-07", "--until", "2026-12-13", "--note", "travel")
        cli(db, "move", "k", "W4S1", "--to", "2026-11-24")
        cli(db, "skip", "k", "W3S3")
        cli(db, "checkin", "k", "--morning-pain", "3", "--red-flag", "locking")
        cli(db, "adapt", "k")
        cli(db, "clear", "k", "--note", "seen by the physio")
    return db


@pytest.fixture
def store(seeded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded store, alone in its folder."""
    (tmp_path / "db").mkdir()
    return Path(shutil.copy(seeded, tmp_path / "db" / "plans.db"))


def sql(db: Path, *statements: str, values: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run ``statements`` on the store with plain sqlite3, as another tool would."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows: list[tuple[Any, ...]] = []
        for statement in statements:
            rows = conn.execute(statement, values).fetchall()
        conn.commit()
    return rows


def unsealed(db: Path, folder: Path) -> Path:
    """A copy of ``db`` without seals: every row of it is read with full validation, the
    way every row was read before seals."""
    folder.mkdir(exist_ok=True)
    copy = Path(shutil.copy(db, folder / "plans.db"))
    sql(copy, *(f"UPDATE {table} SET seal = NULL" for table in JSON_TABLES))
    return copy


def read_everything(db: Path) -> dict[str, Any]:
    """Every plan with all its revisions, their template copies and its whole log."""
    found: dict[str, Any] = {}
    with open_store(db) as opened:  # type: ignore[union-attr]
        for info in opened.list_plans():
            revisions = opened.revisions(info.name)
            found[info.name] = {
                "revisions": revisions,
                "snapshots": [opened.snapshot(r.snapshot) for r in revisions if r.snapshot],
                "entries": opened.entries(info.name, include_replaced=True),
                "checkins": opened.checkins(info.name),
                "clearances": opened.clearances(info.name),
            }
    return found


def assert_same(fast: Any, slow: Any, where: str = "") -> None:
    """Equal, and built alike all the way down: the same type in every field (a tuple, not
    a list; 30.0, not 30) and the same fields set, which model equality alone does not see."""
    assert type(fast) is type(slow), where
    if isinstance(fast, BaseModel):
        assert fast.model_fields_set == slow.model_fields_set, where
        for name in type(fast).model_fields:
            assert_same(getattr(fast, name), getattr(slow, name), f"{where}.{name}")
    elif isinstance(fast, (tuple, list)):
        assert len(fast) == len(slow), where
        for i, (a, b) in enumerate(zip(fast, slow, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(fast, dict):
        assert fast.keys() == slow.keys(), where
        for key in fast:
            assert_same(fast[key], slow[key], f"{where}[{key!r}]")
    elif hasattr(fast, "__dataclass_fields__"):
        for name in fast.__dataclass_fields__:
            assert_same(getattr(fast, name), getattr(slow, name), f"{where}.{name}")
    else:
        assert fast == slow, where


@contextlib.contextmanager
def no_validation() -> Iterator[None]:
    """Fail the test if any model validates JSON inside the block."""

    def refuse(cls: type[BaseModel], /, *args: object, **kwargs: object) -> BaseModel:
        raise AssertionError(f"{cls.__name__} was validated")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseModel, "model_validate_json", classmethod(refuse))
        yield


class TestFastRead:
    def test_every_json_row_written_is_sealed(self, seeded: Path) -> None:
        for table in JSON_TABLES:
            [(rows, seals)] = sql(seeded, f"SELECT count(*), count(seal) FROM {table}")
            assert rows and seals == rows, table

    def test_sealed_rows_read_as_the_validated_read_gives_them(
        self, seeded: Path, tmp_path: Path
    ) -> None:
        with no_validation():
            fast = read_everything(seeded)
        slow = read_everything(unsealed(seeded, tmp_path / "slow"))
        assert set(fast) == {"k", *(f"t-{slug}" for slug in SLUGS)}
        k = fast["k"]
        assert len(k["revisions"]) >= 3 and k["clearances"] and len(k["checkins"]) == 2
        assert any(s.paused for s in k["revisions"][0].plan.sessions)  # the safety stop
        assert k["revisions"][0].plan.options.pauses  # and the pause
        assert fast == slow
        assert_same(fast, slow)

    def test_a_plan_copied_with_an_unchecked_value_is_not_sealed(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        # model_copy checks nothing: a value no validator saw may reach the store.
        db = tmp_path / "plans.db"
        with open_store(db) as opened:  # type: ignore[union-attr]
            opened.save("k", "hip-knee", make_plan(), CalendarOptions(), "first")
            entry = LogEntry(slot="W1S1", exercise="clamshell", done=(15,), pain=1)
            opened.log("k", [entry, entry.model_copy(update={"slot": "W1S2", "pain": 99})])
            opened.save("j", "hip-knee", make_plan().model_copy(update={"title": "a\x07"}),
                        CalendarOptions(), "first")  # fmt: skip
        assert sql(db, "SELECT seal IS NULL FROM revisions ORDER BY plan") == [(0,), (1,)]
        assert sql(db, "SELECT seal IS NULL FROM log_entries ORDER BY id") == [(0,), (1,)]
        code, _, err = run("show", "j", "--db", db)
        assert code == 1 and "revision 1 of plan 'j': plan_json title" in err, err
        code, _, err = run("history", "k", "--db", db)
        assert code == 1 and "log entry 2 of plan 'k': entry_json pain" in err, err

    def test_a_template_copy_kept_and_sealed_is_not_checked_again(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        from planner.models.snapshot import TemplateSnapshot
        from planner.templates import load_snapshot

        snapshot = load_snapshot("hip-knee")
        checked: list[int] = []
        original = TemplateSnapshot.model_validate_json

        def spy(raw: str, **kwargs: Any) -> TemplateSnapshot:
            checked.append(1)
            return original(raw, **kwargs)

        with open_store(tmp_path / "plans.db") as opened, pytest.MonkeyPatch.context() as patch:  # type: ignore[union-attr]
            patch.setattr(TemplateSnapshot, "model_validate_json", spy)
            opened.save("k", "hip-knee", make_plan(), CalendarOptions(), "first", snapshot)
            assert checked == [1]  # checked once, to seal it
            opened.save("k", "hip-knee", make_plan(weeks=10), CalendarOptions(), "longer", snapshot)
            assert checked == [1]
        assert sql(tmp_path / "plans.db", "SELECT count(seal) FROM snapshots") == [(1,)]


# Hand edits of the latest row of a table: (table, column, SQL value, command).
EDITS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "control character in a plan note": (
        "revisions", "plan_json",
        "json_set(plan_json, '$.sessions[0].exercises[0].notes', json_array('a' || char(27)))",
        ("show", "k"),
    ),
    "control character in the title": (
        "revisions", "plan_json", "json_set(plan_json, '$.title', 'k' || char(7))", ("show", "k")
    ),
    "a dose past its bound": (
        "revisions", "plan_json", "json_set(plan_json, '$.sessions[1].exercises[0].sets', 99)",
        ("show", "k"),
    ),
    "a negative rest": (
        "revisions", "plan_json", "json_set(plan_json, '$.sessions[2].exercises[1].rest', -5)",
        ("export", "k", "--out", "{out}/k.html"),
    ),
    "a week of the wrong type": (
        "revisions", "plan_json", "json_set(plan_json, '$.weeks', 'eight')", ("show", "k")
    ),
    "a week as text validation accepts": (
        "revisions", "plan_json", "json_set(plan_json, '$.weeks', '8')", ("show", "k")
    ),
    "a calendar refresh too short": (
        "revisions", "calendar", "json_set(calendar, '$.refresh', 1)",
        ("export", "k", "--out", "{out}/k.ics"),
    ),
    "a calendar name to repair": (
        "revisions", "calendar", "json_set(calendar, '$.name', 'my' || char(10) || 'knee')",
        ("export", "k", "--out", "{out}/k.ics"),
    ),
    "a log entry's pain": (
        "log_entries", "entry_json", "json_set(entry_json, '$.pain', 99)", ("history", "k")
    ),
    "a log entry without sets": (
        "log_entries", "entry_json", "json_set(entry_json, '$.done', json_array())",
        ("history", "k"),
    ),
    "a check-in's pain": (
        "checkins", "checkin_json", "json_set(checkin_json, '$.morning_pain', 11)",
        ("history", "k"),
    ),
    "a clearance without a note": (
        "clearances", "clearance_json", "json_set(clearance_json, '$.note', '')",
        ("history", "k"),
    ),
    "a template copy without its name": (
        "snapshots", "snapshot_json", "json_set(snapshot_json, '$.template', '')",
        ("adapt", "k", "--dry-run"),
    ),
}  # fmt: skip
HARMLESS = {"a week as text validation accepts", "a calendar name to repair"}


def edit_latest(db: Path, table: str, column: str, value: str) -> None:
    """Change the latest row of ``table`` (for snapshots, the one plan 'k' uses now), as
    a hand edit would: the seal is left as it was."""
    if table == "revisions":
        where = "plan = (SELECT id FROM plans WHERE name = 'k') AND number = (SELECT MAX(number) "
        where += "FROM revisions WHERE plan = (SELECT id FROM plans WHERE name = 'k'))"
    elif table == "snapshots":
        where = "digest = (SELECT snapshot FROM revisions ORDER BY rowid DESC LIMIT 1)"
    else:
        where = f"rowid = (SELECT MAX(rowid) FROM {table})"
    before = sql(db, f"SELECT {column}, seal FROM {table} WHERE {where}")
    sql(db, f"UPDATE {table} SET {column} = {value} WHERE {where}")
    after = sql(db, f"SELECT {column}, seal FROM {table} WHERE {where}")
    assert after[0][0] != before[0][0] and after[0][1] == before[0][1] is not None


def outcome(db: Path, args: tuple[str, ...], out: Path) -> tuple[int, str, str, bytes | None]:
    """Exit code, output, errors and the file written (if any) of one command."""
    out.mkdir(exist_ok=True)
    given = [a.replace("{out}", str(out)) for a in args]
    code, stdout, stderr = run(*given, "--db", db)
    written = [Path(a) for a in given if a.startswith(str(out))]
    data = written[0].read_bytes() if written and written[0].exists() else None
    return code, stdout.replace(str(out), "OUT"), stderr.replace(str(db), "DB"), data


class TestEditedRows:
    @pytest.mark.parametrize("kind", EDITS)
    def test_an_edited_row_reads_exactly_as_validation_reads_it(
        self, store: Path, tmp_path: Path, kind: str
    ) -> None:
        table, column, value, args = EDITS[kind]
        edit_latest(store, table, column, value)
        slow = unsealed(store, tmp_path / "slow")
        got = outcome(store, args, tmp_path / "out-fast")
        expected = outcome(slow, args, tmp_path / "out-slow")
        assert got == expected
        if kind in HARMLESS:
            assert got[0] == 0, got[2]
        else:
            assert got[0] == 1 and "has a damaged" in got[2] and "of plan 'k'" in got[2], got

    def test_a_seal_of_another_planner_is_not_trusted(
        self, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        edit_latest(store, *EDITS["a dose past its bound"][:3])
        [(plan_json, calendar)] = sql(
            store, "SELECT plan_json, calendar FROM revisions ORDER BY rowid DESC LIMIT 1"
        )
        with monkeypatch.context() as older:
            older.setattr(trust, "validation_key", lambda: "an older planner's models")
            seal = trust.seal_of(plan_json, calendar)
        assert seal is not None and seal != trust.seal_of(plan_json, calendar)
        reseal = "UPDATE revisions SET seal = ? WHERE rowid = (SELECT MAX(rowid) FROM revisions)"
        sql(store, reseal, values=(seal,))
        code, _, err = run("show", "k", "--db", store)
        assert code == 1 and "plan_json sessions[1] exercises[0] sets" in err, err
        # The seal is what decides: with this planner's seal the same text is not checked.
        sql(store, reseal, values=(trust.seal_of(plan_json, calendar),))
        assert run("show", "k", "--db", store)[0] == 0

    def test_what_validated_a_row_includes_the_models_source(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        planner = ROOT / "planner"
        copy = tmp_path / "planner"
        shutil.copytree(planner / "models", copy / "models")
        for name in ("errors.py", "version.py", "zones.py"):
            shutil.copy(planner / name, copy / name)
        assert key_of(copy) == validation_key()  # the same source: the same seals
        with (copy / "models" / "log.py").open("a") as file:
            file.write("\n# a model changed\n")
        assert key_of(copy) != validation_key()


def older_store(path: Path, make_plan: PlanFactory) -> None:
    """A store as the planner before seals left it (no seal columns), with a plan and a
    log entry."""
    from planner.templates import load_snapshot

    with open_store(path, seals=False) as old:  # type: ignore[union-attr]
        plan = make_plan(start=dt.date(2026, 11, 2))
        old.save("k", "hip-knee", plan, CalendarOptions(), "first", load_snapshot("hip-knee"))
        old.log("k", [LogEntry(slot="W1S1", exercise="clamshell", done=(15, 15), pain=1)])


class TestOlderStore:
    def test_it_migrates_keeps_every_row_and_reads_through_validation(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        path = tmp_path / "old.db"
        older_store(path, make_plan)
        before = sql(path, "SELECT plan, number, created, plan_json, calendar FROM revisions")
        with open_store(path) as opened:  # type: ignore[union-attr]
            assert isinstance(opened, Store)
            validated: list[str] = []
            original = BaseModel.model_validate_json.__func__  # type: ignore[attr-defined]

            def spy(cls: type[BaseModel], *args: Any, **kwargs: Any) -> BaseModel:
                validated.append(cls.__name__)
                return original(cls, *args, **kwargs)  # type: ignore[no-any-return]

            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(BaseModel, "model_validate_json", classmethod(spy))
                latest = opened.latest("k")
                opened.snapshot(latest.snapshot)  # type: ignore[arg-type]
                opened.entries("k")
        assert {"Plan", "CalendarOptions", "TemplateSnapshot", "LogEntry"} <= set(validated)
        assert latest.plan == make_plan(start=dt.date(2026, 11, 2))
        assert sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert sql(path, "SELECT plan, number, created, plan_json, calendar FROM revisions") == (
            before
        )
        for table in JSON_TABLES:
            assert sql(path, f"SELECT count(*), count(seal) FROM {table}")[0][1] == 0, table

    def test_a_new_revision_of_a_migrated_plan_is_sealed(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        from planner.templates import load_snapshot

        path = tmp_path / "old.db"
        older_store(path, make_plan)
        with open_store(path) as opened:  # type: ignore[union-attr]
            plan = make_plan(start=dt.date(2026, 11, 2), weeks=10)
            opened.save(
                "k", "hip-knee", plan, CalendarOptions(), "longer", load_snapshot("hip-knee")
            )
        assert sql(path, "SELECT number, seal IS NULL FROM revisions ORDER BY number") == [
            (1, 1),
            (2, 0),
        ]
        # The template copy kept by the older planner has the same text: now it is sealed.
        assert sql(path, "SELECT count(seal) FROM snapshots") == [(1,)]


PROBE = """
import json, sys
from planner.cli.app import main
from planner.models.calendar import CalendarOptions
from planner.models.log import Checkin, Clearance, LogEntry
from planner.models.plan import Plan
from planner.models.snapshot import TemplateSnapshot
sys.argv = ["planner", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
models = (Plan, CalendarOptions, LogEntry, Checkin, Clearance, TemplateSnapshot)
print(json.dumps(sorted(m.__name__ for m in models if m.__pydantic_complete__)))
"""


def validators_built(db: Path, *args: str) -> set[str]:
    """Which of the stored models a fresh process running ``planner ARGS`` built."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args, "--db", str(db)],
        cwd=ROOT,  # -c puts the working folder first on sys.path: this checkout is run
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PLANNER_TODAY": TODAY},
    )
    return set(json.loads(proc.stdout.splitlines()[-1]))


class TestFreshProcess:
    # 't-hip-knee': a plan with a log and a check-in but no red flag. A safety stop (plan
    # 'k') rebuilds the held plan, and adapt builds plans of its own: both validate them.
    @pytest.mark.parametrize(
        "args",
        [
            ("show", "t-hip-knee"),
            ("history", "t-hip-knee"),
            ("export", "t-hip-knee", "--out", "-", "--format", "html"),
            ("adapt", "t-hip-knee", "--dry-run"),
            ("show", "k"),
        ],
        ids=" ".join,
    )
    def test_a_sealed_store_is_read_without_building_validators(
        self, store: Path, tmp_path: Path, args: tuple[str, ...]
    ) -> None:
        built = validators_built(store, *args)
        assert not built & {"CalendarOptions", "LogEntry", "Checkin", "Clearance"}
        assert "TemplateSnapshot" not in built
        if args[0] != "adapt" and args[1] != "k":
            assert "Plan" not in built
        # The same command on the same rows without seals builds them: the check can fail.
        slow = validators_built(unsealed(store, tmp_path / "slow"), *args)
        assert {"CalendarOptions", "LogEntry", "Checkin"} <= slow
        assert "Plan" in slow


OUTPUTS = {
    "show": ("show", "k"),
    "show another template": ("show", "t-runner-knee"),
    "history": ("history", "k", "--all"),
    "progress": ("progress", "k"),
    "plans show": ("plans", "show", "k"),
    "adapt --dry-run": ("adapt", "k", "--dry-run"),
    "export html": ("export", "k", "--out", "{out}/k.html"),
    "export ics": ("export", "k", "--out", "{out}/k.ics"),
    "export md": ("export", "k", "--out", "{out}/k.md"),
    "export csv": ("export", "k", "--out", "{out}/k.csv"),
    "export json": ("export", "k", "--out", "{out}/k.json"),
}


class TestSameOutput:
    def test_every_view_and_export_is_byte_identical_with_either_read(
        self, store: Path, tmp_path: Path
    ) -> None:
        slow = unsealed(store, tmp_path / "slow")
        for name, args in OUTPUTS.items():
            got = outcome(store, args, tmp_path / "out-fast")
            expected = outcome(slow, args, tmp_path / "out-slow")
            assert got[0] == 0, (name, got[2])
            assert got == expected, name


class TestSealColumns:
    def test_a_store_keeps_its_schema_version_for_the_planner_before_seals(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        # The seal columns come without a new schema version: the planner before them,
        # which refuses a newer version, still opens the file (its rows stay unsealed).
        path = tmp_path / "old.db"
        older_store(path, make_plan)
        open_store(path).close()  # type: ignore[union-attr]
        assert sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)] == [(5,)]
        assert all(sql(path, f"SELECT count(seal) FROM {table}") for table in JSON_TABLES)

    def test_a_read_only_store_without_seals_is_read_and_validated(
        self, tmp_path: Path, make_plan: PlanFactory, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = tmp_path / "old.db"
        older_store(path, make_plan)
        before = path.read_bytes()
        # As a file the person cannot write (root writes a 0444 file, so say it).
        monkeypatch.setattr(database, "read_only_reason", lambda _: "the file is read-only")
        with open_store(path) as opened:  # type: ignore[union-attr]
            assert isinstance(opened, Store) and opened.read_only
            assert opened.latest("k").plan == make_plan(start=dt.date(2026, 11, 2))
            assert [e.entry.pain for e in opened.entries("k")] == [1]
        assert path.read_bytes() == before  # nothing was added to it
        assert not any("seal" in row for row in sql(path, "PRAGMA table_info(revisions)"))
