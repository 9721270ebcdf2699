"""SQLite failures in words a person can act on, told apart by SQLite's result code.

The code (``sqlite3.Error.sqlite_errorname``) is stable where the message text is not: it
changes between SQLite versions and may be translated by a distribution.
"""

import sqlite3
from pathlib import Path


def result_code(exc: sqlite3.Error) -> str:
    """The primary result code, e.g. ``SQLITE_BUSY`` for ``SQLITE_BUSY_RECOVERY``; empty
    for an exception SQLite did not raise itself."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return "_".join(name.split("_")[:2])


def damaged(path: Path, detail: str) -> str:
    """Message for a file that is not a planner database or is damaged."""
    return (
        f"{path}: the plan store is damaged or not a planner database ({detail}); it was "
        "left untouched: move it aside or pick another file with --db"
    )


def explain(path: Path, exc: sqlite3.Error) -> str:
    """One line saying what went wrong with the store at ``path`` and what to do."""
    code = result_code(exc)
    if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return damaged(path, str(exc))
    if code in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return f"{path}: the plan store is busy in another planner process; try again"
    if code == "SQLITE_READONLY":
        return f"{path}: the plan store is read-only; change its permissions or use --db"
    if code == "SQLITE_CANTOPEN":
        return f"{path}: cannot open the plan store; check the folder exists and is writable"
    if code == "SQLITE_FULL":
        return f"{path}: the disk holding the plan store is full; free some space and try again"
    return f"{path}: plan store error: {exc}"
