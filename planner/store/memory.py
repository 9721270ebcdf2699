"""What the plan store remembers about calendars: the versions each export wrote (so only
changed events get a higher SEQUENCE) and what a CalDAV server holds for each event."""

from collections.abc import Callable, Mapping

from planner.exporters.event_versions import SlotState
from planner.store.connection import Connection
from planner.store.records import Published
from planner.store.rows import integer, optional_text, stamp, text


class CalendarMemory(Connection):
    """Export and publishing memory of the saved plans."""

    def _read_all(self, name: str) -> None:
        super()._read_all(name)
        if "exported" in self._tables():
            self.exported(name)

    def exported(self, name: str) -> dict[str, SlotState]:
        """UID -> what the last export wrote for it."""
        key = self._key(name)
        with self._errors():
            rows = self._db.execute(
                "SELECT uid, digest, sequence, modified FROM exported WHERE plan = ?", (key,)
            ).fetchall()
        found = {}
        with self._reading("export memory", name):
            for row in rows:
                found[text(row[0], "uid")] = SlotState(
                    text(row[1], "digest"), integer(row[2], "sequence"), stamp(row[3], "modified")
                )
        return found

    def record_export(
        self,
        name: str,
        states: Mapping[str, SlotState],
        then: Callable[[], None] | None = None,
    ) -> None:
        """Remember the versions of these events (others keep their memory).

        ``then`` runs inside the transaction, before it commits: the export writes its file
        there, so a failed write leaves the memory as it was. A store that can only be read
        remembers nothing and ``then`` still runs: the next export numbers the same events
        the same way, as if this one had not happened.
        """
        key = self._key(name)
        self._before_writing(name)
        if self.read_only is not None:
            if then is not None:
                then()
            return
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO exported (plan, uid, digest, sequence, modified) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (plan, uid) DO UPDATE SET "
                "digest = excluded.digest, sequence = excluded.sequence, "
                "modified = excluded.modified",
                [
                    (key, uid, s.digest, s.sequence, s.modified.isoformat())
                    for uid, s in states.items()
                ],
            )
            if then is not None:
                then()

    def published(self, name: str, collection: str) -> dict[str, Published]:
        """UID -> what this store last put on (or found on) ``collection``."""
        key = self._key(name)
        with self._errors():
            rows = self._db.execute(
                "SELECT uid, href, digest, etag FROM published WHERE plan = ? AND collection = ?",
                (key, collection),
            ).fetchall()
        found = {}
        with self._reading("publishing memory", name):
            for row in rows:
                found[text(row[0], "uid")] = Published(
                    text(row[1], "href"), text(row[2], "digest"), optional_text(row[3], "etag")
                )
        return found

    def record_published(
        self, name: str, collection: str, uid: str, entry: Published | None
    ) -> None:
        """Remember one object written to the server, or forget it (``None``) once deleted."""
        key = self._key(name)
        self._before_writing(name)
        with self._transaction() as db:
            if entry is None:
                db.execute(
                    "DELETE FROM published WHERE plan = ? AND collection = ? AND uid = ?",
                    (key, collection, uid),
                )
            else:
                db.execute(
                    "INSERT INTO published (plan, collection, uid, href, digest, etag) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (plan, collection, uid) DO UPDATE "
                    "SET href = excluded.href, digest = excluded.digest, etag = excluded.etag",
                    (key, collection, uid, entry.href, entry.digest, entry.etag),
                )

    def rename_published(self, name: str, old: str, new: str) -> None:
        """Move the publishing memory kept under collection key ``old`` to ``new`` (an
        upgrade's new way of naming the same calendar), in one transaction."""
        key = self._key(name)
        self._before_writing(name)
        with self._transaction() as db:
            db.execute("DELETE FROM published WHERE plan = ? AND collection = ?", (key, new))
            db.execute(
                "UPDATE published SET collection = ? WHERE plan = ? AND collection = ?",
                (new, key, old),
            )
