"""An open SQLite connection to the plan store, with its transactions and error words."""

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from planner.errors import StoreError
from planner.store.sqlite_errors import explain


def now() -> str:
    """The time a row is written, in UTC."""
    # Microseconds: a clearance and a check-in of the same day are ordered by this.
    return dt.datetime.now(dt.UTC).isoformat()


class Connection:
    """The connection every part of the store shares: transactions, errors, plan keys."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(explain(self.path, exc)) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands or none of it does."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()

    def _plan_row(self, name: str) -> tuple[int, str] | None:
        with self._errors():
            row = self._db.execute("SELECT id, plan_id FROM plans WHERE name = ?", (name,))
            found = row.fetchone()
        return (found[0], found[1]) if found else None

    def _key(self, name: str) -> int:
        row = self._plan_row(name)
        if row is None:
            raise StoreError(self.unknown(name))
        return row[0]

    def unknown(self, name: str) -> str:
        """Message for a plan name that is not saved, listing the saved ones."""
        with self._errors():
            names = [r[0] for r in self._db.execute("SELECT name FROM plans ORDER BY name")]
        saved = f"saved plans: {', '.join(names)}" if names else "no plans are saved yet"
        return (
            f"no saved plan named '{name}' in {self.path} ({saved}); "
            f"create one with 'planner generate ... --name {name}'"
        )
