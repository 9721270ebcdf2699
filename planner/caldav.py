"""CalDAV publishing: make a calendar collection hold exactly the plan's sessions.

The only network code. Each session is its own calendar object at ``<UID>.ics``, so a
retry can never duplicate one. What was written is remembered (digest and ETag per UID,
through a :class:`Ledger`) after every single request, so a publish cut short by a lost
connection is finished by the next one, and an unchanged session is never sent again.
"""

import hashlib
import ipaddress
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from planner.errors import OptionError, PublishError
from planner.store.database import Published

if TYPE_CHECKING:
    from caldav.collection import Calendar

CONTENT_TYPE = "text/calendar; charset=utf-8"
TIMEOUT = 30  # seconds per request: long enough for a slow server, short enough to notice


class Ledger(Protocol):
    """Where publishing keeps its memory of what a collection holds (the plan store)."""

    def load(self, collection: str) -> dict[str, Published]:
        """UID -> what was last written to ``collection``."""
        ...

    def remember(self, collection: str, uid: str, entry: Published | None) -> None:
        """Record one written object, or forget it (``None``) after a delete."""
        ...


@dataclass(frozen=True, slots=True)
class Target:
    """Where to publish and as whom. The password is never printed or logged."""

    url: str
    username: str | None
    password: str | None = field(repr=False)
    calendar_name: str
    allow_http: bool = False


@dataclass(slots=True)
class Counts:
    """What a publish did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    collection: str = ""
    made_collection: bool = False

    def __str__(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, deleted {self.deleted}, "
            f"unchanged {self.unchanged}"
        )


def check_url(url: str, allow_http: bool) -> str:
    """Refuse URLs that cannot work or would send the password in clear over a network."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError(
            f"--caldav-url: '{url}' is not an http(s) URL; use e.g. "
            "https://cal.example.com/dav/ or http://127.0.0.1:5232/"
        )
    if parts.username or parts.password:
        raise OptionError(
            "--caldav-url: leave credentials out of the URL; give --username and set "
            "PLANNER_CALDAV_PASSWORD (or type the password when asked)"
        )
    try:
        parts.port  # noqa: B018 (a bad port only raises when read)
    except ValueError:
        raise OptionError(f"--caldav-url: '{url}' has an invalid port") from None
    if parts.scheme == "http" and not allow_http and not _is_loopback(parts.hostname):
        raise OptionError(
            f"--caldav-url: plain http:// to {parts.hostname} would send your password "
            "unencrypted; use https:// or add --allow-http if you accept that"
        )
    return url.strip()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def object_name(uid: str) -> str:
    """The file name of a session's object in the collection."""
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


class _Session:
    """Requests with every failure turned into a :class:`PublishError` that says why."""

    def __init__(self, target: Target) -> None:
        from caldav.davclient import DAVClient

        self.target = target
        self.done = 0
        self.total = 0
        self.client = DAVClient(
            target.url,
            username=target.username,
            password=target.password,
            timeout=TIMEOUT,
            enable_rfc6764=False,  # the URL is given; no DNS discovery
        )

    def call(self, what: str, action: Callable[[], Any]) -> Any:
        """Run one request; a refusal, a garbled answer or a network failure becomes a
        :class:`PublishError` that says which and how far the publish got."""
        from caldav.lib import error

        where = self.target.url
        try:
            return action()
        except error.AuthorizationError as exc:
            if exc.status == 403:
                raise PublishError(
                    f"{where}: the server does not let '{self.target.username}' {what} "
                    f"(403 Forbidden)"
                ) from None
            raise PublishError(
                f"{where}: wrong username or password (401 Unauthorized); check --username "
                "and PLANNER_CALDAV_PASSWORD"
            ) from None
        except error.DAVError as exc:
            raise PublishError(f"{where}: the server refused to {what} ({exc.reason})") from None
        except SyntaxError:
            # lxml's XMLSyntaxError is a SyntaxError: the answer was not WebDAV XML.
            raise PublishError(
                f"{where}: the answer when trying to {what} is not CalDAV (the XML does not "
                f"parse); check --caldav-url points at a CalDAV server{self._progress()}"
            ) from None
        except OSError as exc:
            # The HTTP library's errors (niquests or requests, whichever caldav uses) are
            # OSErrors that wrap the socket's own: those say what went wrong.
            raise PublishError(
                f"cannot reach {where} ({network_reason(exc)}){self._progress()}"
            ) from None

    def _progress(self) -> str:
        if not self.done:
            return ""
        return (
            f" after {self.done} of {self.total} changes; run publish again to finish "
            "(nothing will be duplicated)"
        )

    def check(self, response: Any, what: str) -> Any:
        """Raise if ``response`` is not a success, with the server's own reason."""
        if 200 <= response.status < 300:
            return response
        if response.status == 404:
            raise PublishError(
                f"{self.target.url}: the server has nothing there (404 Not Found) when trying "
                f"to {what}; check --caldav-url"
            )
        body = str(response.raw or "")
        detail = " ".join(body.split())[:200]
        reason = f"{response.status} {response.reason}".strip()
        raise PublishError(
            f"{self.target.url}: the server refused to {what} ({reason}"
            + (f": {detail}" if detail and detail != response.reason else "")
            + ")"
        )


# The socket-level causes worth naming, most specific first (a certificate error is an
# SSLError, every one here is an OSError).
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (socket.gaierror, "unknown host name"),
    (ConnectionRefusedError, "connection refused"),
    (TimeoutError, "timed out"),
    (ssl.SSLCertVerificationError, "the server's TLS certificate is not trusted"),
    (ssl.SSLError, "TLS failed; is it an https:// server?"),
    (ConnectionResetError, "connection lost"),
    (ConnectionAbortedError, "connection lost"),
    (BrokenPipeError, "connection lost"),
)


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it was raised from or while handling, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def network_reason(exc: BaseException) -> str:
    """Why a request failed, from the exception types the HTTP library raised it with."""
    chain = _causes(exc)
    for kind, reason in _REASONS:
        if any(isinstance(cause, kind) for cause in chain):
            return reason
    innermost = chain[-1]
    detail = str(innermost).splitlines()[0][:100] if str(innermost) else ""
    return f"{type(innermost).__name__}: {detail}" if detail else type(innermost).__name__


def _collection(session: _Session) -> "tuple[Calendar, bool]":
    """The calendar to publish to: the URL itself if it is a calendar collection, else the
    account's calendar with the wanted name, created when missing."""
    from caldav.collection import Calendar

    client, name = session.client, session.target.calendar_name
    found = session.call(
        "read the URL", lambda: client.propfind(session.target.url, ["resourcetype"], depth=0)
    )
    session.check(found, "read the URL")
    kinds = (found.results[0].properties.get("{DAV:}resourcetype") or []) if found.results else []
    if "{urn:ietf:params:xml:ns:caldav}calendar" in kinds:
        return Calendar(client=client, url=session.target.url), False
    principal = session.call("find your calendars", client.principal)
    calendars = session.call("list your calendars", principal.calendars)
    for calendar in calendars:
        if session.call("read a calendar name", calendar.get_display_name) == name:
            return calendar, False
    slug = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "plan"
    made = session.call(
        f"create the calendar '{name}'",
        lambda: principal.make_calendar(name=name, cal_id=f"planner-{slug}"),
    )
    return made, True


def _listing(session: _Session, url: str) -> dict[str, tuple[str, str | None]]:
    """UID -> (href, ETag) for every ``.ics`` object in the collection."""
    response = session.call(
        "list the calendar", lambda: session.client.propfind(url, ["getetag"], depth=1)
    )
    session.check(response, "list the calendar")
    objects = {}
    for result in response.results:
        uid = _uid_of(result.href)
        if uid is not None:
            objects[uid] = (result.href, result.properties.get("{DAV:}getetag"))
    return objects


def publish(
    target: Target, objects: Mapping[str, bytes], owns: Callable[[str], bool], ledger: Ledger
) -> Counts:
    """Make the collection hold exactly ``objects`` (UID -> calendar object bytes).

    Objects whose UID ``owns`` claims but that are not in ``objects`` are deleted (sessions
    dropped from the plan); everything else on the server is left alone. An object is sent
    only when the server lacks it, its bytes changed since the last publish, or its ETag
    shows someone else changed it.
    """
    session = _Session(target)
    calendar, made = _collection(session)
    base = calendar.url
    assert base is not None  # a found or made calendar always has its URL
    collection = str(base)
    counts = Counts(collection=collection, made_collection=made)
    known = ledger.load(collection)
    server = _listing(session, collection)
    stale = [uid for uid in server if owns(uid) and uid not in objects]
    work = []
    for uid, data in objects.items():
        entry, present = known.get(uid), server.get(uid)
        wanted = digest(data)
        if present and entry and entry.digest == wanted and entry.etag in (None, present[1]):
            counts.unchanged += 1
        else:
            work.append((uid, data, wanted, present))
    session.total = len(work) + len(stale)
    for uid, data, wanted, present in work:
        href = str(base.join(object_name(uid)))
        response = session.call(
            f"store {uid}",
            lambda href=href, data=data: session.client.put(  # type: ignore[misc]
                href, data, {"Content-Type": CONTENT_TYPE}
            ),
        )
        session.check(response, f"store session {slot_of(uid)}")
        ledger.remember(collection, uid, Published(href, wanted, response.headers.get("ETag")))
        session.done += 1
        if present:
            counts.updated += 1
        else:
            counts.created += 1
    for uid in stale:
        href = str(base.join(server[uid][0]))
        response = session.call(
            f"delete {uid}",
            lambda href=href: session.client.delete(href),  # type: ignore[misc]
        )
        if response.status != 404:  # already gone is as good as deleted
            session.check(response, f"delete session {slot_of(uid)}")
        ledger.remember(collection, uid, None)
        session.done += 1
        counts.deleted += 1
    for uid in known:
        if uid not in objects and uid not in server:
            ledger.remember(collection, uid, None)
    return counts
