"""An open SQLite connection to the plan store, with its transactions and error words."""

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from planner.errors import StoreError
from planner.store.rows import RowError, damaged_row, integer, text
from planner.store.sqlite_errors import explain
from planner.suggest import did_you_mean

if TYPE_CHECKING:
    from pydantic import BaseModel


def now() -> str:
    """The time a row is written, in UTC."""
    # Microseconds: a clearance and a check-in of the same day are ordered by this.
    return dt.datetime.now(dt.UTC).isoformat()


class Connection:
    """The connection every part of the store shares: transactions, errors, plan keys."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, read_only: str | None = None
    ) -> None:
        self.path = path
        self._db = connection
        self._read_only = read_only
        self._batched = False  # inside batch(): each _transaction is a savepoint of it
        self._sound: set[str] = set()  # plans whose every row was read back
        # (table, plan) -> the rows as read, so checking a plan before a write and reading
        # it again to report on it parse the log once; a write to the table drops them.
        self._cache: dict[tuple[str, str], list[Any]] = {}
        # False only for a store kept at a version before seals (tests build those).
        self._seals = True

    @property
    def _seal_column(self) -> str:
        """The seal column (planner.store.trust) to select, or NULL in a store without."""
        return "seal" if self._seals else "NULL"

    def _insert_row(
        self,
        db: sqlite3.Connection,
        table: str,
        fields: dict[str, object],
        *json_columns: "tuple[type[BaseModel], str]",
    ) -> None:
        """Insert ``fields`` (column: value) into ``table``, with the seal of its JSON
        columns (model, text) where this store keeps seals."""
        from planner.store.trust import seal_validated

        if self._seals:
            fields = {**fields, "seal": seal_validated(*json_columns)}
        db.execute(
            f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
            tuple(fields.values()),
        )

    @property
    def read_only(self) -> str | None:
        """Why this store can only be read (e.g. ``the file is read-only``), or ``None``."""
        return self._read_only

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection.

        A failed close is not reported: every write was committed (or rolled back) by its
        own transaction or :meth:`batch` before this, so what a command said it saved is
        in the file or its ``-wal`` already, and the next open recovers it; closing only
        checkpoints, which can wait. A transaction still open here is one an error left
        (the context managers end every other one), and closing rolls it back, as it
        should. A programming error (closing from another thread, say) is raised.
        """
        with contextlib.suppress(sqlite3.OperationalError):
            self._db.close()

    def _writable(self) -> None:
        """Refuse a write to a store that can only be read; nothing is tried.

        Raises:
            StoreError: naming the file, why it cannot be written and what to do.
        """
        if self._read_only is not None:
            raise StoreError(
                f"{self.path}: the plan store cannot be written ({self._read_only}); "
                "change its permissions or choose another file with --db"
            )

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for several writes: every write inside lands or none does.

        Each write's own transaction becomes a savepoint of this one, so a write that fails
        still undoes only itself if the caller goes on; any exception that leaves the block
        rolls back everything written in it. Batches do not nest. After some errors (a full
        disk, an I/O error) SQLite rolls the whole transaction back itself: then every later
        write in the block and the COMMIT are refused, so no part of the batch lands alone.

        Raises:
            StoreError: the store can only be read (nothing was tried), or SQLite failed.
        """
        assert not self._batched, "batches do not nest"
        self._writable()
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
        self._batched = True
        try:
            yield
        except BaseException:
            self._batched = False
            self._forget()
            # The error that ended the batch is the one to report; a rollback that fails
            # too leaves nothing committed all the same (closing never commits).
            with contextlib.suppress(sqlite3.Error):
                self._db.rollback()
            raise
        self._batched = False
        self._check_open_batch()
        try:
            with self._errors():
                self._db.commit()
        except StoreError:
            # A failed COMMIT can leave the transaction open; end it so nothing of it lands
            # later by accident (a close never commits, but a later write would).
            self._forget()
            with contextlib.suppress(sqlite3.Error):
                self._db.rollback()
            raise

    def _forget(self) -> None:
        """Drop what was read of the store: after a rollback it may hold rows that never
        landed. The tables extend this with their own copies."""
        self._sound.clear()
        self._cache.clear()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(explain(self.path, exc)) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands or none of it does.

        Raises:
            StoreError: the store can only be read; nothing was tried.
        """
        self._writable()
        if self._batched:
            self._check_open_batch()
            with self._errors(), self._savepoint():
                yield self._db
            return
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A write inside :meth:`batch`: undone alone if it fails, kept for the batch's
        COMMIT if it does not."""
        self._db.execute("SAVEPOINT write")
        try:
            yield
        except BaseException:
            # SQLite may have rolled the whole transaction back already (a full disk): then
            # there is no savepoint left to undo, and the error that did it is the one to
            # report, not "no such savepoint".
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK TO write")
                    self._db.execute("RELEASE write")
            raise
        self._db.execute("RELEASE write")

    def _check_open_batch(self) -> None:
        """Refuse to go on with a batch whose transaction SQLite has rolled back: a write
        now would start a transaction of its own and land without the rest.

        Raises:
            StoreError: nothing of the batch was saved.
        """
        if not self._db.in_transaction:
            self._forget()
            raise StoreError(
                f"{self.path}: the plan store undid this change after an earlier error; "
                "nothing of it was saved. Fix that error and run the command again"
            )

    @contextlib.contextmanager
    def _reading(self, what: str, name: str | None) -> Iterator[None]:
        """Turn a bad value met while reading ``what`` (e.g. ``revision 3``) of plan
        ``name`` into one error naming the file, the row and the plan."""
        try:
            yield
        except RowError as exc:
            raise StoreError(damaged_row(self.path, what, name, exc)) from None

    def _before_writing(self, name: str) -> None:
        """Read every row of plan ``name`` back before the first write to it.

        A plan with a damaged row is never written to: a command would otherwise save its
        change, then fail on the damaged row when it reads the plan to report on it.
        """
        if name not in self._sound:
            self._read_all(name)
            self._sound.add(name)

    def _read_all(self, name: str) -> None:
        """Read (and so check) every row of plan ``name``; the tables extend this."""
        self._key(name)

    def _tables(self) -> set[str]:
        """The tables this file has: one kept at an older version (tests) lacks some."""
        with self._errors():
            return {r[0] for r in self._db.execute("SELECT name FROM sqlite_master")}

    def _plan_row(self, name: str) -> tuple[int, str] | None:
        with self._errors():
            row = self._db.execute("SELECT id, plan_id FROM plans WHERE name = ?", (name,))
            found = row.fetchone()
        if found is None:
            return None
        with self._reading("plan entry", name):
            return integer(found[0], "id"), text(found[1], "plan_id")

    def _key(self, name: str) -> int:
        row = self._plan_row(name)
        if row is None:
            raise StoreError(self.unknown(name))
        return row[0]

    def unknown(self, name: str) -> str:
        """Message for a plan name that is not saved, listing the saved ones."""
        with self._errors():
            rows = self._db.execute("SELECT name FROM plans ORDER BY name").fetchall()
        with self._reading("plan entry", None):
            names = [text(r[0], "name") for r in rows]
        saved = f"saved plans: {', '.join(names)}" if names else "no plans are saved yet"
        return (
            f"no saved plan named '{name}'{did_you_mean(name, names)} in {self.path} ({saved}); "
            f"create one with 'planner generate ... --name {name}'"
        )
