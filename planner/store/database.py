"""The plan store: one SQLite file with saved plans, their revisions and export memory.

With :mod:`~planner.store.connection`, :mod:`~planner.store.diary` (the training log),
:mod:`~planner.store.memory` (export and publishing memory) and
:mod:`~planner.store.schema`, the only code that touches SQLite. Every change runs in one
``BEGIN IMMEDIATE`` transaction (changes that must land together share one: ``batch``),
the file is in WAL mode so readers never block the writer, and the schema is versioned
with ``PRAGMA user_version`` and migrated forward on open. A file that is not a planner
database, is damaged (``integrity_check``) or comes from a newer planner is refused and
never written; every row is checked as it is read
(:mod:`~planner.store.rows`), and a plan is read whole before its first write. A file the
user cannot write is opened read-only: reads work, writes are refused.
"""

import contextlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import StoreError
from planner.fileio import store_files
from planner.store.connection import now
from planner.store.diary import DiaryTables
from planner.store.files import connect, has_content, read_only_reason
from planner.store.memory import CalendarMemory
from planner.store.paths import default_path, resolve_path
from planner.store.records import PlanInfo, Published, Revision
from planner.store.rows import (
    RowError,
    clip,
    damaged_row,
    day,
    integer,
    optional_text,
    stamp,
    text,
)
from planner.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    SNAPSHOTS,
    add_seals,
    check_header,
    has_seals,
    migrate,
    store_snapshot,
)
from planner.store.sqlite_errors import damaged, explain
from planner.store.trust import seal_validated, sealed, trusted

if TYPE_CHECKING:
    from pydantic import BaseModel

    from planner.models.calendar import CalendarOptions
    from planner.models.plan import Plan
    from planner.models.snapshot import TemplateSnapshot

# Names importers used when all of this lived here; the schema and paths now have modules.
__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "PlanInfo",
    "Published",
    "Revision",
    "Store",
    "default_path",
    "open_store",
    "resolve_path",
]


class Store(DiaryTables, CalendarMemory):
    """An open plan store. Use :func:`open_store`; close with :meth:`close` or ``with``."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        snapshots: bool = True,
        read_only: str | None = None,
        seals: bool = True,
    ) -> None:
        super().__init__(path, connection, read_only)
        # False only for a store kept at an older schema version (tests build those).
        self._keeps_snapshots = snapshots
        self._seals = seals
        self._snapshots: dict[str, TemplateSnapshot] = {}
        # Parsing a long plan is the slow part of reading a store: a command asks for the
        # latest revision several times (and once more before its first write).
        self._latest: dict[str, Revision] = {}

    def _read_all(self, name: str) -> None:
        super()._read_all(name)
        self.latest(name)

    def _forget(self) -> None:
        super()._forget()
        self._latest.clear()  # snapshots stay: content addressed, a copy is never wrong

    def revision_count(self, name: str) -> int:
        """How many revisions ``name`` has, without reading them: a plan with a damaged
        revision can still be counted, and so deleted."""
        key = self._key(name)
        with self._errors():
            return int(
                self._db.execute(
                    "SELECT count(*) FROM revisions WHERE plan = ?", (key,)
                ).fetchone()[0]
            )

    def plan_id(self, name: str) -> str | None:
        """The UID prefix fixed when the plan was first saved, or ``None`` if it is new."""
        row = self._plan_row(name)
        return row[1] if row else None

    def plan_ids(self) -> frozenset[str]:
        """Every saved plan's UID prefix: a new plan's id must differ from all of them."""
        with self._errors():
            rows = self._db.execute("SELECT plan_id FROM plans").fetchall()
        return frozenset(str(row[0]) for row in rows)

    def sharing_id(self, name: str) -> list[str]:
        """Other saved plans with the same plan id as ``name`` (stores made before ids
        were unique per plan): their calendar events have the same UIDs."""
        with self._errors():
            rows = self._db.execute(
                "SELECT other.name FROM plans AS this JOIN plans AS other "
                "ON other.plan_id = this.plan_id AND other.name != this.name "
                "WHERE this.name = ? ORDER BY other.name",
                (name,),
            ).fetchall()
        return [str(row[0]) for row in rows]

    def save(
        self,
        name: str,
        template: str,
        plan: "Plan",
        calendar: "CalendarOptions",
        reason: str,
        snapshot: "TemplateSnapshot | None" = None,
    ) -> tuple[int, bool]:
        """Save ``plan`` as the next revision of ``name`` (creating the plan if needed),
        with the ``snapshot`` of the template it was built from.

        Returns the revision number and whether a new revision was written: saving the same
        plan, calendar options and snapshot again changes nothing.
        """
        plan_json = plan.model_dump_json()
        calendar_json = calendar.model_dump_json()
        snapshot_json = digest = None
        if snapshot is not None and self._keeps_snapshots:
            snapshot_json, digest = snapshot.model_dump_json(), snapshot.digest()
        if self._plan_row(name) is not None:
            self._before_writing(name)
        with self._transaction() as db:
            row = db.execute("SELECT id FROM plans WHERE name = ?", (name,)).fetchone()
            if row is None:
                cursor = db.execute(
                    "INSERT INTO plans (name, plan_id, created) VALUES (?, ?, ?)",
                    (name, plan.id, now()),
                )
                key = cursor.lastrowid
                assert key is not None
                number = 0
            else:
                key = row[0]
                latest = db.execute(
                    f"SELECT number, plan_json, calendar, {self._snapshot_column} FROM "
                    "revisions WHERE plan = ? ORDER BY number DESC LIMIT 1",
                    (key,),
                ).fetchone()
                number = latest[0]
                if (
                    _same(plan, latest[1])
                    and _same(calendar, latest[2])
                    and _same_snapshot(db, latest[3], snapshot, digest)
                ):
                    return number, False
            fields: dict[str, object] = {
                "plan": key,
                "number": number + 1,
                "created": now(),
                "template": template,
                "calendar": calendar_json,
                "plan_json": plan_json,
                "reason": reason,
            }
            if self._keeps_snapshots:
                if snapshot_json is not None and digest is not None:
                    keep = _store_sealed_snapshot if self._seals else store_snapshot
                    keep(db, template, snapshot_json, digest)
                fields["snapshot"] = digest
            self._insert_row(
                db, "revisions", fields, (type(plan), plan_json), (type(calendar), calendar_json)
            )
        self._latest.pop(name, None)
        return number + 1, True

    @property
    def _snapshot_column(self) -> str:
        return "snapshot" if self._keeps_snapshots else "NULL"

    def snapshot(self, digest: str) -> "TemplateSnapshot":
        """The template snapshot with this digest (see :attr:`Revision.snapshot`)."""
        from planner.models.snapshot import TemplateSnapshot

        if digest in self._snapshots:  # content addressed, so a copy never goes stale
            return self._snapshots[digest]
        with self._errors():
            row = self._db.execute(
                f"SELECT snapshot_json, {self._seal_column} FROM snapshots WHERE digest = ?",
                (digest,),
            ).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: the template kept with a saved plan is missing")
        try:
            trust = sealed(row[1], row[0])
            found = trusted(TemplateSnapshot, row[0], "snapshot_json", trust)
        except RowError as exc:
            raise StoreError(
                damaged_row(self.path, "template copy", self._user_of(digest), exc)
            ) from None
        self._snapshots[digest] = found
        return found

    def _user_of(self, digest: str) -> str | None:
        """A plan whose revisions use the snapshot ``digest`` (snapshots are shared)."""
        with self._errors():
            row = self._db.execute(
                "SELECT p.name FROM plans p JOIN revisions r ON r.plan = p.id "
                "WHERE r.snapshot = ? ORDER BY p.name LIMIT 1",
                (digest,),
            ).fetchone()
        return None if row is None else str(row[0])

    def latest(self, name: str) -> Revision:
        """The newest revision of ``name``."""
        if name not in self._latest:
            self._latest[name] = self.revisions(name, latest_only=True)[0]
        return self._latest[name]

    def revisions(self, name: str, latest_only: bool = False) -> list[Revision]:
        """Revisions of ``name``, newest first.

        A revision whose seal matches its text is rebuilt without validation (see
        :mod:`planner.store.trust`); every other one is validated.
        """
        from planner.models.calendar import STORED, CalendarOptions
        from planner.models.plan import Plan

        key = self._key(name)
        query = (
            f"SELECT number, created, template, reason, plan_json, calendar, "
            f"{self._snapshot_column}, {self._seal_column} FROM revisions WHERE plan = ? "
            "ORDER BY number DESC" + (" LIMIT 1" if latest_only else "")
        )
        with self._errors():
            rows = self._db.execute(query, (key,)).fetchall()
        found = []
        for row in rows:
            with self._reading(f"revision {clip(str(row[0]))}", name):
                trust = sealed(row[7], row[4], row[5])
                found.append(
                    Revision(
                        number=integer(row[0], "number"),
                        created=stamp(row[1], "created"),
                        template=text(row[2], "template"),
                        reason=text(row[3], "reason"),
                        plan=trusted(Plan, row[4], "plan_json", trust),
                        # A calendar name saved before names were checked is repaired, not
                        # refused, so the plan can still be exported (STORED).
                        calendar=trusted(CalendarOptions, row[5], "calendar", trust, STORED),
                        snapshot=optional_text(row[6], "snapshot"),
                    )
                )
        return found

    def list_plans(self) -> list[PlanInfo]:
        """Every saved plan with its latest revision, by name."""
        # The plan JSON is looked into by SQLite, not parsed here (plans list stays fast);
        # json_valid first, so bad JSON reads as NULL and is refused below with its row.
        with self._errors():
            rows = self._db.execute(
                "SELECT p.name, r.number, r.template, r.created, json_valid(r.plan_json), "
                + ", ".join(
                    f"CASE WHEN json_valid(r.plan_json) THEN {part} END"
                    for part in (
                        "json_extract(r.plan_json, '$.title')",
                        "json_array_length(r.plan_json, '$.sessions')",
                        "json_extract(r.plan_json, '$.sessions[0].date')",
                        "json_extract(r.plan_json, '$.sessions[#-1].date')",
                    )
                )
                + " FROM plans p JOIN revisions r ON r.plan = p.id "
                "WHERE r.number = (SELECT MAX(number) FROM revisions WHERE plan = p.id) "
                "ORDER BY p.name"
            ).fetchall()
        return [self._info(row) for row in rows]

    def _info(self, row: tuple[object, ...]) -> PlanInfo:
        name = row[0]
        with self._reading("plan entry", clip(str(name))):
            name = text(name, "name")
        with self._reading(f"revision {clip(str(row[1]))}", name):
            if not row[4]:
                raise RowError("plan_json is not JSON")
            return PlanInfo(
                name=name,
                revisions=integer(row[1], "number"),
                template=text(row[2], "template"),
                updated=stamp(row[3], "created"),
                title=text(row[5], "plan_json title"),
                sessions=integer(row[6], "plan_json sessions"),
                first=day(row[7], "plan_json first session date"),
                last=day(row[8], "plan_json last session date"),
            )

    def delete(self, name: str) -> None:
        """Delete ``name`` with all its revisions and export memory."""
        key = self._key(name)
        self._latest.pop(name, None)
        for table in ("log_entries", "checkins", "clearances"):
            self._cache.pop((table, name), None)
        with self._transaction() as db:
            db.execute("DELETE FROM plans WHERE id = ?", (key,))
            if self._keeps_snapshots:
                # Snapshots are shared; keep the ones another plan's revisions still use.
                db.execute(
                    "DELETE FROM snapshots WHERE digest NOT IN "
                    "(SELECT snapshot FROM revisions WHERE snapshot IS NOT NULL)"
                )


def _store_sealed_snapshot(
    db: sqlite3.Connection, template: str, snapshot_json: str, digest: str
) -> None:
    """Keep one snapshot with its seal (see :func:`store_snapshot`). A copy already kept
    with the same text (by an older planner, or by the migration that added snapshots)
    takes this planner's seal: the text is the same one this planner just checked."""
    from planner.models.snapshot import TemplateSnapshot

    kept = db.execute(
        "SELECT snapshot_json, seal FROM snapshots WHERE digest = ?", (digest,)
    ).fetchone()
    if kept is not None and kept[0] == snapshot_json and sealed(kept[1], kept[0]):
        return  # kept and sealed already (adapt saves the copy it read): nothing to check
    seal = seal_validated((TemplateSnapshot, snapshot_json))
    db.execute(
        "INSERT INTO snapshots (digest, template, snapshot_json, seal) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (digest) DO UPDATE SET seal = excluded.seal "
        "WHERE snapshots.snapshot_json = excluded.snapshot_json AND excluded.seal IS NOT NULL",
        (digest, template, snapshot_json, seal),
    )


def _same(value: "BaseModel", stored: str) -> bool:
    """Whether ``stored`` JSON holds ``value``: compared as models, so a revision written
    before a field was added (and so without it) still matches the same plan."""
    if stored == value.model_dump_json():
        return True
    try:
        return type(value).model_validate_json(stored) == value
    except ValueError:  # also a damaged row: then it differs, and a new revision is saved
        return False


def _same_snapshot(
    db: sqlite3.Connection,
    stored: str | None,
    snapshot: "TemplateSnapshot | None",
    digest: str | None,
) -> bool:
    """Whether the revision's kept template (digest ``stored``) is ``snapshot``.

    Compared as models when the digests differ: a copy saved before a template key was
    added lacks it, so its digest differs although it builds the same plan, and saving the
    same plan again must not add a revision for that alone.
    """
    if stored == digest:
        return True
    if stored is None or snapshot is None:
        return False
    row = db.execute("SELECT snapshot_json FROM snapshots WHERE digest = ?", (stored,)).fetchone()
    return row is not None and _same(snapshot, row[0])


def open_store(
    path: Path,
    source: str = "--db",
    *,
    create: bool = True,
    target: int = SCHEMA_VERSION,
    seals: bool = True,
) -> Store | None:
    """Open (and migrate) the store at ``path``; ``source`` names where the path came from
    (see :func:`resolve_path`) so messages point at the right setting.

    With ``create=False`` a missing (or empty) file gives ``None`` and nothing is created:
    commands that only read should not leave an empty database behind. An empty file is a
    new store. A store the user cannot write is opened read-only: reads work, writes are
    refused. A damaged one is refused whole and left as it was. ``target`` and ``seals``
    exist so tests can build a database as an older planner left it (an older schema
    version; no seal columns).

    A writable store gains the seal columns (:func:`~planner.store.schema.add_seals`); one
    that cannot be written is read without them, every row validated.
    """
    if path.is_dir():
        raise StoreError(f"{source}: {path} is a folder; give a file such as {path / 'plans.db'}")
    exists = path.exists()
    if exists and not has_content(path) and not create:
        return None
    if not exists:
        if not create:
            return None
        _make_folder(path, source)
    read_only = read_only_reason(path) if exists else None
    # What this open creates, so a new store that cannot be made leaves nothing behind (an
    # empty file would be taken for a store next time). Only for a file that did not exist:
    # beside an existing one, a -wal may be another planner's, holding its writes.
    made = [] if exists else [p for p in store_files(path) if not p.exists()]
    db: sqlite3.Connection | None = None
    try:
        db = connect(path, read_only is not None)
        version = check_header(path, db)
        if version:
            _check_integrity(path, db)
        if version < target:
            if read_only is not None:
                raise StoreError(
                    f"{path}: the plan store needs upgrading to this planner but cannot be "
                    f"written ({read_only}); make it writable once, or use --db"
                )
            migrate(db, target)
        reached = max(version, target)
        keeps_seals = has_seals(db)
        if not keeps_seals and seals and read_only is None and reached >= SNAPSHOTS:
            add_seals(db)
            keeps_seals = True
        if read_only is None:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
    except BaseException as exc:
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        _remove_if_empty(made)
        if isinstance(exc, sqlite3.Error):
            raise StoreError(explain(path, exc)) from None
        raise
    return Store(path, db, reached >= SNAPSHOTS, read_only, keeps_seals)


def _remove_if_empty(made: list[Path]) -> None:
    """Remove the files a failed open created, but only while every one is still empty:
    another planner may have opened the new store meanwhile and written to it (its store,
    or a -wal holding its writes, is never deleted from under it). Only sizes are looked
    at: opening a descriptor would drop this process's locks (see ``has_content``)."""
    try:
        if any(file.stat().st_size for file in made if file.exists()):
            return
    except OSError:
        return
    for file in made:
        with contextlib.suppress(OSError):
            file.unlink(missing_ok=True)


def _make_folder(path: Path, source: str) -> None:
    """Create the default store's folder on first use; a folder given by the user must
    already exist (a typo should not create a tree)."""
    if source == "default":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create {path.parent} for the plan store ({exc.strerror}); "
                "use --db or PLANNER_DB to choose another file"
            ) from None
    elif not path.parent.is_dir():
        raise StoreError(
            f"{source}: folder {path.parent} does not exist; create it or choose another path"
        )


def _check_integrity(path: Path, db: sqlite3.Connection) -> None:
    """Refuse a damaged file before anything reads or writes it.

    ``integrity_check``, not ``quick_check``: only the full check compares every index
    with its table, and a damaged index passes the quick one, then takes writes that
    damage the file further. On a year of training (15 MB) it costs about 2.5 ms more
    than the quick check (benchmarks/bench_store_check.py).
    """
    result = db.execute("PRAGMA integrity_check(1)").fetchone()[0]
    if result != "ok":
        raise StoreError(damaged(path, clip(str(result))))
