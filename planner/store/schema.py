"""The plan store's schema: what marks a file as ours, the migrations, and checking and
upgrading a file's version (``PRAGMA user_version``) on open."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from planner.errors import StoreError
from planner.store.sqlite_errors import damaged

APPLICATION_ID = 0x504C4E52  # "PLNR": marks the file as ours in the SQLite header

# Forward migrations: MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    # 1: saved plans and their revisions.
    """
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        plan_id TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE revisions (
        plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        created TEXT NOT NULL,
        template TEXT NOT NULL,
        calendar TEXT NOT NULL,
        plan_json TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (plan, number)
    );
    """,
    # 2: what was exported per event (SEQUENCE memory) and what a CalDAV server holds.
    """
    CREATE TABLE exported (
        plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        digest TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        modified TEXT NOT NULL,
        PRIMARY KEY (plan, uid)
    );
    CREATE TABLE published (
        plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        collection TEXT NOT NULL,
        uid TEXT NOT NULL,
        href TEXT NOT NULL,
        digest TEXT NOT NULL,
        etag TEXT,
        PRIMARY KEY (plan, collection, uid)
    );
    """,
    # 3: the training log and morning check-ins. Append-only: logging the same exercise of
    # the same session (or checking in on the same day) again adds a row that replaces the
    # old one in every view, so nothing is ever lost.
    """
    CREATE TABLE log_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        slot TEXT NOT NULL,
        exercise TEXT NOT NULL,
        entry_json TEXT NOT NULL,
        logged TEXT NOT NULL
    );
    CREATE INDEX log_entries_key ON log_entries (plan, slot, exercise, id);
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        checkin_json TEXT NOT NULL,
        logged TEXT NOT NULL
    );
    CREATE INDEX checkins_day ON checkins (plan, day, id);
    """,
    # 4: a clinician's clearance after red flags ('planner clear'), append-only like the log.
    """
    CREATE TABLE clearances (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        clearance_json TEXT NOT NULL,
        logged TEXT NOT NULL
    );
    CREATE INDEX clearances_day ON clearances (plan, day, id);
    """,
    # 5: the template each revision was built from, kept with it (a snapshot), so adapt and
    # the safety hold rebuild the plan it was, not whatever the file says today. Content
    # addressed: the revisions of a plan (and plans made from the same template) share one.
    """
    CREATE TABLE snapshots (
        digest TEXT PRIMARY KEY,
        template TEXT NOT NULL,
        snapshot_json TEXT NOT NULL
    );
    ALTER TABLE revisions ADD COLUMN snapshot TEXT REFERENCES snapshots(digest);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
SNAPSHOTS = 5  # the first version whose revisions keep their template

# The tables whose JSON rows carry a seal (planner.store.trust). A store gains the seal
# columns without a new schema version: a planner from before them still opens the file
# (it names the columns it writes, so its rows are unsealed, and validated when read).
SEALED_TABLES = ("revisions", "snapshots", "log_entries", "checkins", "clearances")


def has_seals(db: sqlite3.Connection) -> bool:
    """Whether every sealed table has its seal column."""
    return all(
        any(row[1] == "seal" for row in db.execute(f"PRAGMA table_info({table})"))
        for table in SEALED_TABLES
    )


def add_seals(db: sqlite3.Connection) -> None:
    """Give every sealed table its seal column (rows already there stay unsealed), in one
    transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for table in SEALED_TABLES:  # looked at again under the lock: another process
            # may have added them since.
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if "seal" not in columns:
                db.execute(f"ALTER TABLE {table} ADD COLUMN seal TEXT")
    except BaseException:
        db.rollback()
        raise
    db.commit()


def store_snapshot(db: sqlite3.Connection, template: str, snapshot_json: str, digest: str) -> None:
    """Keep one snapshot (once: equal content has the same digest)."""
    db.execute(
        "INSERT OR IGNORE INTO snapshots (digest, template, snapshot_json) VALUES (?, ?, ?)",
        (digest, template, snapshot_json),
    )


def _snapshot_shipped(db: sqlite3.Connection) -> None:
    """Older revisions name their template only: keep a copy of the shipped template of that
    name, as it is now (what adapt would have read). A name that is not shipped (a person's
    own file) stays without one; rebuilding such a revision then says what to do."""
    from planner.templates import shipped_snapshot

    names = [row[0] for row in db.execute("SELECT DISTINCT template FROM revisions")]
    for name in names:
        snapshot = shipped_snapshot(name)
        if snapshot is None:
            continue
        digest = snapshot.digest()
        store_snapshot(db, name, snapshot.model_dump_json(), digest)
        db.execute(
            "UPDATE revisions SET snapshot = ? WHERE template = ? AND snapshot IS NULL",
            (digest, name),
        )


# Steps in Python after a migration's SQL, by the version the migration reaches.
BACKFILLS: dict[int, Callable[[sqlite3.Connection], None]] = {SNAPSHOTS: _snapshot_shipped}


def check_header(path: Path, db: sqlite3.Connection) -> int:
    """The schema version, after making sure the file is ours and not from the future.

    Raises:
        StoreError: the file is someone else's SQLite database or a newer planner's.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if version == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise StoreError(damaged(path, "file is not a database written by planner"))
    elif app_id != APPLICATION_ID:
        raise StoreError(damaged(path, "file is not a database written by planner"))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the plan store has schema version {version}, newer than this planner "
            f"understands ({SCHEMA_VERSION}); upgrade planner. The file was left untouched"
        )
    return int(version)


def migrate(db: sqlite3.Connection, target: int) -> None:
    """Bring the database to version ``target`` in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        # Read the version again under the write lock: another process may have migrated.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, target):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    db.execute(statement)
            backfill = BACKFILLS.get(step + 1)
            if backfill is not None:
                backfill(db)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {target}")
    except BaseException:
        db.rollback()
        raise
    db.commit()
