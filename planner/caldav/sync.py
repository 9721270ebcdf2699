"""Make a calendar collection hold exactly the plan's sessions.

Objects are found by the UID inside them (one calendar-query REPORT lists every event's
UID, href and ETag), not by file name: a client that imported the .ics file stored them
under names of its own, and a server refuses a second object with the same UID. What was
written is remembered (digest and ETag per UID, through a :class:`Ledger`) after every
single object, so a publish cut short is finished by the next one, and an unchanged
session is never sent again. Objects are sent by a small pool of threads, each with its
own connection; the memory is written only by the calling thread, as each one completes.
"""

import hashlib
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, unquote

from planner.caldav.discovery import CALDAV, DAV, find_collection, multistatus
from planner.caldav.session import CONTENT_TYPE, Session, Target
from planner.caldav.urls import collection_key, joined, legacy_keys, printable, same_path
from planner.errors import PublishError
from planner.store.records import Published

WORKERS = 6  # parallel requests: enough to hide the round trips, few enough for any server
LOCKED_TRIES = 20  # 423 Locked answers in a row before giving up (retried one at a time)
_EVENTS = (
    '<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" '
    'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data>'
    '<C:comp name="VCALENDAR"><C:comp name="VEVENT"><C:prop name="UID"/></C:comp></C:comp>'
    '</C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR">'
    '<C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>'
)
_FOLD = re.compile(r"\r?\n[ \t]")


class Ledger(Protocol):
    """Where publishing keeps its memory of what a collection holds (the plan store)."""

    def load(self, collection: str) -> dict[str, Published]:
        """UID -> what was last written to ``collection``."""
        ...

    def remember(self, collection: str, uid: str, entry: Published | None) -> None:
        """Record one written object, or forget it (``None``) after a delete."""
        ...

    def rename(self, old: str, new: str) -> None:
        """Move the memory kept under collection key ``old`` to ``new`` (which has none)."""
        ...


@dataclass(slots=True)
class Counts:
    """What a publish did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    collection: str = ""
    made_collection: bool = False
    recoloured: bool = False

    def __str__(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, deleted {self.deleted}, "
            f"unchanged {self.unchanged}"
        )


@dataclass(frozen=True, slots=True)
class Held:
    """One event object the server holds."""

    href: str
    etag: str | None


def object_name(uid: str) -> str:
    """The file name of a new session's object in the collection."""
    return quote(uid, safe="@") + ".ics"


def _uid_of(href: str) -> str | None:
    name = href.rstrip("/").rsplit("/", 1)[-1]
    return unquote(name[: -len(".ics")]) if name.endswith(".ics") else None


def slot_of(uid: str) -> str:
    """``W3S2`` from ``<plan id>-w3s2@planner``, for messages."""
    return uid.split("@", 1)[0].rsplit("-", 1)[-1].upper()


def digest(data: bytes) -> str:
    """Hash of an object's bytes, to know whether the server already has them."""
    return hashlib.sha256(data).hexdigest()


def uid_in(data: str) -> str | None:
    """The UID of the first VEVENT in a calendar object's text: that event's own property,
    not one of the calendar (RFC 7986) or of an alarm inside it (RFC 9074); names in any
    case, parameter values quoted or not."""
    depth: int | None = None  # components open inside the VEVENT; None before it
    for line in _FOLD.sub("", data).replace("\r\n", "\n").split("\n"):
        name, value = _property(line)
        name = name.upper()
        if depth is None:
            depth = 0 if name == "BEGIN" and value.strip().upper() == "VEVENT" else None
        elif name == "BEGIN":
            depth += 1
        elif name == "END":
            if depth == 0:
                return None
            depth -= 1
        elif depth == 0 and name == "UID":
            return value.strip() or None
    return None


def _property(line: str) -> tuple[str, str]:
    """A content line's name and value: the value starts at the first colon outside a
    quoted parameter value."""
    end = next((i for i, c in enumerate(line) if c in ";:"), len(line))
    quoted = False
    for i in range(end, len(line)):
        if line[i] == '"':
            quoted = not quoted
        elif line[i] == ":" and not quoted:
            return line[:end], line[i + 1 :]
    return line[:end], ""


def listing(session: Session, url: str) -> dict[str, list[Held]]:
    """UID -> the event objects holding it, from one calendar-query REPORT (several only
    where a lax server let a UID be stored twice). A server without the REPORT is listed
    by file name, as planner names its objects."""
    client = session.client
    response = session.call("list the calendar", lambda: client.report(url, _EVENTS, depth=1))
    if response.status in (400, 403, 405, 415, 501):
        return _listing_by_name(session, url)
    session.check(response, "list the calendar")
    found: dict[str, list[Held]] = {}
    for entry in multistatus(response):
        data = entry.text(f"{CALDAV}calendar-data")
        uid = uid_in(data) if data else None
        if uid is not None and not same_path(entry.href, url):
            found.setdefault(uid, []).append(Held(entry.href, entry.text(f"{DAV}getetag")))
    return found


def _listing_by_name(session: Session, url: str) -> dict[str, list[Held]]:
    client = session.client
    response = session.call("list the calendar", lambda: client.propfind(url, ["getetag"], 1))
    session.check(response, "list the calendar")
    found: dict[str, list[Held]] = {}
    for result in response.results:
        uid = _uid_of(result.href)
        if uid is not None:
            found[uid] = [Held(result.href, result.properties.get("{DAV:}getetag"))]
    return found


class _Locked(Exception):
    """The server refused a write that met another (423 Locked, or a 500 while several
    were in flight): it writes one object at a time (Xandikos locks its store while it
    writes one) and refuses the others meanwhile. The write is sent again, alone."""

    def __init__(self, session: Session, response: Any, what: str) -> None:
        super().__init__(what)
        self.session, self.response, self.what = session, response, what

    def error(self) -> PublishError:
        try:
            self.session.check(self.response, self.what)
        except PublishError as exc:
            return exc
        return PublishError(self.what)  # pragma: no cover (a 423 never passes the check)


@dataclass(frozen=True, slots=True)
class _Job:
    """One change: store ``data`` at ``url`` (None: delete the object at ``url``, and
    forget the UID unless it is a second copy of one that stays)."""

    uid: str
    url: str
    data: bytes | None
    wanted: str = ""
    present: bool = False
    forget: bool = True


class _Pool:
    """Sessions for worker threads: one each, made on first use, sharing the main
    session's negotiated credentials."""

    def __init__(self, main: Session) -> None:
        self.main, self.local = main, threading.local()
        self.made: list[Session] = []
        self.lock = threading.Lock()

    def session(self) -> Session:
        session: Session | None = getattr(self.local, "session", None)
        if session is None:
            session = Session(self.main.target, self.main.client.auth)
            self.local.session = session
            with self.lock:
                self.made.append(session)
        return session

    def run(self, job: _Job, pause: float = 0.0, alone: bool = False) -> Any:
        """Send one job (after ``pause`` seconds); raises :class:`_Locked` on a 423, and
        on a 500 unless it was sent ``alone``: Xandikos answers 500 to a DELETE that meets
        the lock another write holds."""
        time.sleep(pause)
        session = self.session()
        if job.data is None:
            response = session.call(f"delete {job.uid}", lambda: session.client.delete(job.url))
            what = f"delete session {slot_of(job.uid)}"
        else:
            response = session.call(
                f"store {job.uid}",
                lambda: session.client.put(job.url, job.data, {"Content-Type": CONTENT_TYPE}),  # type: ignore[arg-type]
            )
            what = f"store session {slot_of(job.uid)}"
        if response.status == 423 or (response.status == 500 and not alone):
            raise _Locked(session, response, what)
        if job.data is None and response.status == 404:
            return response  # already gone is as good as deleted
        return session.check(response, what)

    def close(self) -> None:
        for session in self.made:
            session.close()


def _memory(ledger: Ledger, key: str, target: Target, url: str) -> dict[str, Published]:
    """The memory of this collection; kept by an older planner under the URL as typed (or
    as the server spelled it), it is moved to the normalised key first."""
    known = ledger.load(key)
    if known:
        return known
    for old in legacy_keys(target.url, url):
        if old != key and ledger.load(old):
            ledger.rename(old, key)
            return ledger.load(key)
    return known


def publish(
    target: Target, objects: Mapping[str, bytes], owns: Callable[[str], bool], ledger: Ledger
) -> Counts:
    """Make the collection hold exactly ``objects`` (UID -> calendar object bytes).

    Objects whose UID ``owns`` claims but that are not in ``objects`` are deleted (sessions
    dropped from the plan); everything else on the server is left alone. An object is sent
    only when the server lacks it, its bytes changed since the last publish, or its ETag
    shows someone else changed it; one the server holds is updated where it is.
    """
    session = Session(target)
    try:
        return _publish(session, objects, owns, ledger)
    finally:
        session.close()


def _publish(
    session: Session, objects: Mapping[str, bytes], owns: Callable[[str], bool], ledger: Ledger
) -> Counts:
    found = find_collection(session)
    url = found.url
    key = collection_key(url)
    counts = Counts(collection=printable(url, 500), made_collection=found.made)
    counts.recoloured = found.recoloured
    known = _memory(ledger, key, session.target, url)
    server = listing(session, url)
    jobs = []
    for uid, data in objects.items():
        entry, held, wanted = known.get(uid), server.get(uid, []), digest(data)
        # The object we wrote, if the server still has it; else the first holding the UID.
        here = next((h for h in held if entry and same_path(h.href, entry.href)), None)
        here = here or (held[0] if held else None)
        if here and entry and entry.digest == wanted and entry.etag in (None, here.etag):
            counts.unchanged += 1
        else:
            href = joined(url, here.href if here else object_name(uid))
            jobs.append(_Job(uid, href, data, wanted, here is not None))
        # A UID stored twice (by a lax server) is kept once.
        jobs.extend(
            _Job(uid, joined(url, h.href), None, forget=False) for h in held if h is not here
        )
    for uid, held in server.items():
        if uid not in objects and owns(uid):
            jobs.extend(_Job(uid, joined(url, h.href), None) for h in held)
    _run(session, jobs, key, ledger, counts)
    for uid in known:
        if uid not in objects and uid not in server:
            ledger.remember(key, uid, None)
    return counts


def _run(session: Session, jobs: list[_Job], key: str, ledger: Ledger, counts: Counts) -> None:
    """Send ``jobs`` through the pool, recording each in ``ledger`` as it completes. On a
    failure nothing more is started; what finished meanwhile is still recorded."""
    pool, done, failure = _Pool(session), 0, None
    waiting: Iterator[_Job] = iter(jobs)
    again: deque[_Job] = deque()  # refused with 423 Locked: sent again first
    locked = 0  # 423 answers in a row, since the last write that went through
    limit = 2 * WORKERS  # in flight: the workers busy and as many queued
    running: dict[Future[Any], _Job] = {}
    executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="publish")
    try:
        while True:
            while failure is None and len(running) < limit:
                # Refused as locked while sent alone, a job waits a little longer each
                # time; the first retry after parallel writes met the lock goes at once.
                pause = 0.05 * min(locked - 1, 10) if again and locked > 1 else 0.0
                job = again.popleft() if again else next(waiting, None)
                if job is None:
                    break
                running[executor.submit(pool.run, job, pause, limit == 1)] = job
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                job = running.pop(future)
                if future.cancelled():  # never sent: the next publish sends it
                    continue
                try:
                    response = future.result()
                except _Locked as exc:
                    # One at a time from now on: parallel writes only meet the lock.
                    limit, locked = 1, locked + 1
                    if locked > LOCKED_TRIES:
                        failure = failure or exc.error()
                    again.append(job)
                    continue
                except PublishError as exc:
                    failure = failure or exc
                    continue
                _record(ledger, key, job, response, counts)
                done, locked = done + 1, 0
            if failure is not None:
                # What waits in the pool's queue is not sent after a failure (a server that
                # hangs would otherwise make each of them wait out its timeout first).
                for future in running:
                    future.cancel()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        pool.close()
    if failure is not None:
        if done:
            raise PublishError(
                f"{failure} after {done} of {len(jobs)} changes; run publish again to "
                "finish (nothing will be duplicated)"
            )
        raise failure


def _record(ledger: Ledger, key: str, job: _Job, response: Any, counts: Counts) -> None:
    if job.data is None:
        if job.forget:
            ledger.remember(key, job.uid, None)
        counts.deleted += 1
        return
    ledger.remember(key, job.uid, Published(job.url, job.wanted, response.headers.get("ETag")))
    if job.present:
        counts.updated += 1
    else:
        counts.created += 1
