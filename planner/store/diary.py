"""The training log in the plan store: log entries, morning check-ins and clearances.

Append-only: a new row for the same session and exercise (or the same day) replaces the old
one in every view, and nothing is ever lost. Each row is sealed as it is written and read
back without validation only while its seal matches (see :mod:`planner.store.trust`).
"""

import sqlite3
from typing import TYPE_CHECKING, Any, TypeVar

from planner.store.connection import Connection, now
from planner.store.rows import RowError, day, stamp, text
from planner.store.trust import sealed, trusted

if TYPE_CHECKING:
    from planner.models.log import Checkin, Clearance, LogEntry, Logged

_Stamped = TypeVar("_Stamped", "Checkin", "Clearance")


class DiaryTables(Connection):
    """What a person reported for their saved plans."""

    def _read_all(self, name: str) -> None:
        super()._read_all(name)
        tables = self._tables()
        for table, read in (
            ("log_entries", lambda: self.entries(name, include_replaced=True)),
            ("checkins", lambda: self.checkins(name)),
            ("clearances", lambda: self.clearances(name)),
        ):
            if table in tables:
                read()

    def log(self, name: str, entries: "list[LogEntry]") -> "list[LogEntry | None]":
        """Add ``entries`` in one transaction; for each, the entry it replaces (or None)."""
        key = self._key(name)
        self._before_writing(name)
        self._cache.pop(("log_entries", name), None)
        replaced: list[LogEntry | None] = []
        with self._transaction() as db:
            for entry in entries:
                row = db.execute(
                    f"SELECT entry_json, id, {self._seal_column} FROM log_entries "
                    "WHERE plan = ? AND slot = ? AND exercise = ? ORDER BY id DESC LIMIT 1",
                    (key, entry.slot, entry.exercise),
                ).fetchone()
                replaced.append(None if row is None else self._entry(name, row, row[2]))
                raw = entry.model_dump_json()
                fields = {
                    "plan": key,
                    "slot": entry.slot,
                    "exercise": entry.exercise,
                    "entry_json": raw,
                    "logged": now(),
                }
                self._insert_row(db, "log_entries", fields, (type(entry), raw))
        return replaced

    def entries(self, name: str, include_replaced: bool = False) -> "list[Logged]":
        """The log of ``name`` in the order it was written; by default only the entries
        that count (the newest for each session and exercise)."""
        from planner.models.log import Logged

        cached = self._cache.get(("log_entries", name))
        if cached is not None:
            return [item for item in cached if include_replaced or not item.replaced]
        rows = self._rows(
            "SELECT e.entry_json, e.id, e.logged, e.slot, e.exercise, "
            "e.id < (SELECT MAX(id) FROM log_entries l "
            "WHERE l.plan = e.plan AND l.slot = e.slot AND l.exercise = e.exercise), "
            f"{'e.seal' if self._seals else 'NULL'} FROM log_entries e WHERE e.plan = ? "
            "ORDER BY e.id",
            name,
        )
        found = []
        for r in rows:
            entry = self._entry(name, r, r[6])
            with self._reading(f"log entry {r[1]}", name):
                # Each value is checked already (a LogEntry, an aware time, a flag), which
                # is all Logged's validation would check: building it needs no validator.
                logged = Logged.model_construct(
                    entry=entry, logged_at=stamp(r[2], "logged"), replaced=bool(r[5])
                )
                # The key columns decide which entry replaces which: they must agree.
                if (text(r[3], "slot"), text(r[4], "exercise")) != (entry.slot, entry.exercise):
                    raise RowError("slot and exercise differ from the entry they index")
            found.append(logged)
        self._cache["log_entries", name] = found
        return [item for item in found if include_replaced or not item.replaced]

    def _entry(self, name: str, row: Any, seal: object) -> "LogEntry":
        """The entry in ``row`` (``entry_json``, ``id``, ...), checked unless ``seal``
        vouches for it."""
        from planner.models.log import LogEntry

        with self._reading(f"log entry {row[1]}", name):
            return trusted(LogEntry, row[0], "entry_json", sealed(seal, row[0]))

    def checkin(self, name: str, checkin: "Checkin") -> "list[Checkin]":
        """Add a morning check-in; returns the earlier ones of the same day (all are kept
        and all count: a second check-in never erases what the first one reported)."""
        from planner.models.log import Checkin

        key = self._key(name)
        self._before_writing(name)
        self._cache.pop(("checkins", name), None)
        with self._transaction() as db:
            rows = db.execute(
                f"SELECT checkin_json, logged, day, id, {self._seal_column} FROM checkins "
                "WHERE plan = ? AND day = ? ORDER BY id",
                (key, checkin.date.isoformat()),
            ).fetchall()
            earlier = [self._stamped(name, "check-in", Checkin, r) for r in rows]
            self._insert(db, "checkins", key, checkin)
        return earlier

    def checkins(self, name: str) -> "list[Checkin]":
        """Every check-in, by day and then in the order they were made."""
        from planner.models.log import Checkin

        return self._by_day(name, "checkins", "check-in", Checkin)

    def clear(self, name: str, clearance: "Clearance") -> None:
        """Record a clinician's clearance."""
        key = self._key(name)
        self._before_writing(name)
        self._cache.pop(("clearances", name), None)
        with self._transaction() as db:
            self._insert(db, "clearances", key, clearance)

    def _insert(
        self, db: sqlite3.Connection, table: str, key: int, item: "Checkin | Clearance"
    ) -> None:
        """Add a check-in or clearance row, sealed when this store keeps seals."""
        raw = item.model_dump_json()
        fields = {
            "plan": key,
            "day": item.date.isoformat(),
            f"{table[:-1]}_json": raw,
            "logged": now(),
        }
        self._insert_row(db, table, fields, (type(item), raw))

    def clearances(self, name: str) -> "list[Clearance]":
        """Every clearance, by day and then in the order they were recorded."""
        from planner.models.log import Clearance

        return self._by_day(name, "clearances", "clearance", Clearance)

    def _by_day(self, name: str, table: str, what: str, kind: "type[_Stamped]") -> "list[_Stamped]":
        """The check-ins or clearances of ``name``, by day and then as written."""
        if (table, name) not in self._cache:
            rows = self._rows(
                f"SELECT {table[:-1]}_json, logged, day, id, {self._seal_column} FROM {table} "
                "WHERE plan = ? ORDER BY day, id",
                name,
            )
            self._cache[table, name] = [self._stamped(name, what, kind, r) for r in rows]
        return list(self._cache[table, name])

    def _stamped(self, name: str, what: str, kind: "type[_Stamped]", row: Any) -> "_Stamped":
        """The check-in or clearance in ``row`` (json, logged, day, id, seal) with the time
        it was written, which orders a clearance against a sign reported the same day."""
        with self._reading(f"{what} {row[3]}", name):
            column = f"{what.replace('-', '')}_json"
            item = trusted(kind, row[0], column, sealed(row[4], row[0]))
            if day(row[2], "day") != item.date:  # the day column orders them
                raise RowError("day differs from the date it indexes")
            return item.model_copy(update={"recorded": stamp(row[1], "logged")})

    def _rows(self, query: str, name: str) -> list[tuple[Any, ...]]:
        key = self._key(name)
        with self._errors():
            return list(self._db.execute(query, (key,)).fetchall())
