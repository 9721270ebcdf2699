"""The store's file before SQLite opens it: is it a database, may we write it, and how
to connect so that a file we only read is left exactly as it was."""

import os
import sqlite3
from pathlib import Path

from planner.errors import StoreError
from planner.store.rows import text_factory
from planner.store.sqlite_errors import damaged

_SMALLEST = 512  # bytes: the smallest page, so the shortest database SQLite writes


def has_content(path: Path) -> bool:
    """Whether the existing file at ``path`` holds a database (``False``: it is empty,
    which is treated as a new store, the way SQLite itself treats it).

    Only the size is looked at, never the bytes: closing any descriptor of a file drops
    every POSIX lock this process holds on it, including those of a connection still
    open, and a write could then damage the file. A longer file with a bad header is
    refused by SQLite itself.

    Raises:
        StoreError: it is not a regular file, or is shorter than any database (cut short:
            SQLite would silently start an empty store over it).
    """
    if not path.is_file():
        raise StoreError(f"{path}: the plan store is not a regular file; give a file path")
    size = path.stat().st_size
    if 0 < size < _SMALLEST:
        raise StoreError(damaged(path, "the file is not an SQLite database or is cut short"))
    return size > 0


def read_only_reason(path: Path) -> str | None:
    """Why the existing store at ``path`` cannot be written, or ``None`` if it can.

    ``os.access`` asks the kernel, so it also sees what mode bits do not: a root user
    writes a 0444 file, but not an immutable one or one on a read-only mount. A write
    needs the folder too, for the journal SQLite keeps beside the file.
    """
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):
        return "its folder is read-only"
    return None


def connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection to ``path``; read-only ones leave no files behind.

    A read-only connection cannot clean up the ``-wal`` and ``-shm`` files it would
    create, so while no writer has a ``-wal`` file open it reads the file as immutable
    (no side files, no locks); otherwise it joins that writer's log in read-only mode.
    """
    mode = "rwc"
    if read_only:
        wal = path.with_name(path.name + "-wal")
        mode = "ro" if wal.exists() else "ro&immutable=1"
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), so a writer takes
    # the lock up front and two writers queue up instead of deadlocking on an upgrade.
    db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    db.text_factory = text_factory
    return db
