"""The training log in the plan store: log entries, morning check-ins and clearances.

Append-only: a new row for the same session and exercise (or the same day) replaces the old
one in every view, and nothing is ever lost.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from planner.store.connection import Connection, now

if TYPE_CHECKING:
    from planner.models.log import Checkin, Clearance, LogEntry, Logged


class DiaryTables(Connection):
    """What a person reported for their saved plans."""

    def log(self, name: str, entries: "list[LogEntry]") -> "list[LogEntry | None]":
        """Add ``entries`` in one transaction; for each, the entry it replaces (or None)."""
        key = self._key(name)
        replaced: list[LogEntry | None] = []
        with self._transaction() as db:
            for entry in entries:
                row = db.execute(
                    "SELECT entry_json FROM log_entries WHERE plan = ? AND slot = ? AND "
                    "exercise = ? ORDER BY id DESC LIMIT 1",
                    (key, entry.slot, entry.exercise),
                ).fetchone()
                replaced.append(None if row is None else type(entry).model_validate_json(row[0]))
                db.execute(
                    "INSERT INTO log_entries (plan, slot, exercise, entry_json, logged) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (key, entry.slot, entry.exercise, entry.model_dump_json(), now()),
                )
        return replaced

    def entries(self, name: str, include_replaced: bool = False) -> "list[Logged]":
        """The log of ``name`` in the order it was written; by default only the entries
        that count (the newest for each session and exercise)."""
        from planner.models.log import LogEntry, Logged

        rows = self._rows(
            "SELECT e.entry_json, e.logged, e.id < (SELECT MAX(id) FROM log_entries l "
            "WHERE l.plan = e.plan AND l.slot = e.slot AND l.exercise = e.exercise) "
            "FROM log_entries e WHERE e.plan = ? ORDER BY e.id",
            name,
        )
        return [
            Logged(
                entry=LogEntry.model_validate_json(r[0]),
                logged_at=dt.datetime.fromisoformat(r[1]),
                replaced=bool(r[2]),
            )
            for r in rows
            if include_replaced or not r[2]
        ]

    def checkin(self, name: str, checkin: "Checkin") -> "list[Checkin]":
        """Add a morning check-in; returns the earlier ones of the same day (all are kept
        and all count: a second check-in never erases what the first one reported)."""
        from planner.models.log import Checkin

        key = self._key(name)
        with self._transaction() as db:
            rows = db.execute(
                "SELECT checkin_json FROM checkins WHERE plan = ? AND day = ? ORDER BY id",
                (key, checkin.date.isoformat()),
            ).fetchall()
            db.execute(
                "INSERT INTO checkins (plan, day, checkin_json, logged) VALUES (?, ?, ?, ?)",
                (key, checkin.date.isoformat(), checkin.model_dump_json(), now()),
            )
        return [Checkin.model_validate_json(r[0]) for r in rows]

    def checkins(self, name: str) -> "list[Checkin]":
        """Every check-in, by day and then in the order they were made."""
        from planner.models.log import Checkin

        rows = self._rows(
            "SELECT checkin_json, logged FROM checkins WHERE plan = ? ORDER BY day, id", name
        )
        return [_recorded(Checkin.model_validate_json(r[0]), r[1]) for r in rows]

    def clear(self, name: str, clearance: "Clearance") -> None:
        """Record a clinician's clearance."""
        key = self._key(name)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO clearances (plan, day, clearance_json, logged) VALUES (?, ?, ?, ?)",
                (key, clearance.date.isoformat(), clearance.model_dump_json(), now()),
            )

    def clearances(self, name: str) -> "list[Clearance]":
        """Every clearance, by day and then in the order they were recorded."""
        from planner.models.log import Clearance

        rows = self._rows(
            "SELECT clearance_json, logged FROM clearances WHERE plan = ? ORDER BY day, id", name
        )
        return [_recorded(Clearance.model_validate_json(r[0]), r[1]) for r in rows]

    def _rows(self, query: str, name: str) -> list[tuple[Any, ...]]:
        key = self._key(name)
        with self._errors():
            return list(self._db.execute(query, (key,)).fetchall())


_Stamped = TypeVar("_Stamped", "Checkin", "Clearance")


def _recorded(item: _Stamped, logged: str) -> _Stamped:
    """``item`` with the time it was written, which orders a clearance against a sign
    reported the same day."""
    return item.model_copy(update={"recorded": dt.datetime.fromisoformat(logged)})
