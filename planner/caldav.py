"""CalDAV publishing: make a calendar collection hold exactly the plan's sessions.

The only network code. Each session is its own calendar object at ``<UID>.ics``, so a
retry can never duplicate one. What was written is remembered (digest and ETag per UID,
through a :class:`Ledger`) after every single request, so a publish cut short by a lost
connection is finished by the next one, and an unchanged session is never sent again.
"""

import base64
import hashlib
import ipaddress
import logging
import re
import socket
import ssl
import time
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
# The library reads and parses whole answers in memory (several times their size), so each
# answer is read here first, in chunks, and refused past these bounds. 10 MB lists some
# 30,000 events: more than a calendar of its own for a plan ever holds.
MAX_ANSWER = 10_000_000  # bytes, after any decompression
ANSWER_SECONDS = 120  # to read one answer, checked between chunks
_CHUNK = 65536
_AUTHORIZATION = re.compile(r"(?i)((?:proxy-)?authorization[\"']?\s*[:=]\s*)[^\r\n]*")


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


MAX_URL = 2000  # characters; longer than any server's request line allows in practice
_LABEL = re.compile(r"[A-Za-z0-9_-]{1,63}")
_BRACKETED = re.compile(r"\[([^\]]*)\](?::[^:]*)?")
_USERINFO = re.compile(r"//[^/?#]*@")


def check_url(url: str, allow_http: bool) -> str:
    """Refuse URLs that cannot work or would send the password in clear over a network.

    Returns:
        The URL to use: surrounding spaces removed, a non-ASCII host name in its ASCII
        (IDNA) form, which is what the HTTP library and DNS need.

    Raises:
        OptionError: one line that says what is wrong with the URL (never echoing
            credentials or control characters).
    """
    url = url.strip(" ")
    shown = shown_url(url)
    if url.partition("://")[0].lower() not in ("http", "https"):
        raise OptionError(
            f"--caldav-url: {shown} is not an http(s) URL; use e.g. "
            "https://cal.example.com/dav/ or http://127.0.0.1:5232/"
        )
    bad = next((c for c in url if not c.isprintable() or c.isspace()), None)
    if bad == " ":
        raise OptionError(f"--caldav-url: {shown} contains a space; write it as %20")
    if bad is not None:
        raise OptionError(
            f"--caldav-url: {shown} contains the control or invisible character {bad!a}; remove it"
        )
    if len(url) > MAX_URL:
        raise OptionError(f"--caldav-url: the URL is {len(url)} characters; at most {MAX_URL}")
    authority = url.partition("://")[2]
    for end in "/?#":
        authority = authority.split(end, 1)[0]
    if "@" in authority:
        raise OptionError(
            "--caldav-url: leave credentials out of the URL; give --username and set "
            "PLANNER_CALDAV_PASSWORD (or type the password when asked)"
        )
    try:
        parts = urlsplit(url)
    except ValueError:
        raise OptionError(
            f"--caldav-url: {shown} has a host in [...] that is not an IPv6 address"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError(
            f"--caldav-url: {shown} is not an http(s) URL; use e.g. "
            "https://cal.example.com/dav/ or http://127.0.0.1:5232/"
        )
    try:
        parts.port  # noqa: B018 (a bad port only raises when read)
    except ValueError:
        raise OptionError(f"--caldav-url: {shown} has an invalid port") from None
    url = _ascii_host(url, parts.netloc, parts.hostname, shown)
    if parts.scheme == "http" and not allow_http and not _is_loopback(parts.hostname):
        raise OptionError(
            f"--caldav-url: plain http:// to {parts.hostname} would send your password "
            "unencrypted; use https:// or add --allow-http if you accept that"
        )
    return url


def _ascii_host(url: str, netloc: str, host: str, shown: str) -> str:
    """``url`` with its host checked (an IPv6 literal or a DNS name of labels of at most 63
    letters, digits, ``-`` or ``_``) and in its ASCII form."""
    if netloc.startswith("["):
        literal = _BRACKETED.fullmatch(netloc)
        try:
            ipaddress.IPv6Address(literal.group(1) if literal else "")
        except ValueError:
            raise OptionError(
                f"--caldav-url: {shown} has a host in [...] that is not an IPv6 address"
            ) from None
        return url
    try:
        name = host.encode("idna").decode("ascii")
    except UnicodeError:
        name = ""
    labels = name.removesuffix(".").split(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise OptionError(
            f"--caldav-url: {shown} has no valid host name (dot-separated parts of 1 to 63 "
            "letters, digits, '-' or '_')"
        )
    if name == host:
        return url
    return url.replace(netloc, netloc.lower().replace(host, name, 1), 1)


def shown_url(url: str) -> str:
    """``url`` fit for a message: quoted, credentials masked, escaped, shortened."""
    return f"'{_shorten(_escape(_USERINFO.sub('//…@', url, count=1)), 100)}'"


def printable(text: str, limit: int = 200) -> str:
    """``text`` as one line of at most ``limit`` characters: runs of white space become one
    space, other control and invisible characters are escaped (``\\x1b``)."""
    return _shorten(_escape(" ".join(text.split())), limit)


def _escape(text: str) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


class _Refused(PublishError):
    """An answer this module will not hand to the library (too big, too slow, not XML)."""


class _Session:
    """Requests with every failure turned into a :class:`PublishError` that says why."""

    def __init__(self, target: Target) -> None:
        from caldav.davclient import DAVClient

        # The library logs its doubts about odd answers; the error line says what matters.
        logging.getLogger("caldav").addHandler(logging.NullHandler())
        logging.getLogger("caldav").propagate = False
        self.target = target
        self.secrets = secrets(target.username, target.password)
        self.done = 0
        self.total = 0
        self.refused: _Refused | None = None
        self.client = DAVClient(
            target.url,
            username=target.username,
            password=target.password,
            timeout=TIMEOUT,
            enable_rfc6764=False,  # the URL is given; no DNS discovery
        )
        self.client.session.hooks["response"].append(self._read_answer)

    def _read_answer(self, response: Any, **_: Any) -> Any:
        """Read an answer's body within :data:`MAX_ANSWER` and :data:`ANSWER_SECONDS`, and
        make sure a PROPFIND or REPORT success is XML, before the library sees it (it
        reads everything, and trips over a multi-status that is empty or not XML)."""
        declared = str(response.headers.get("Content-Length") or "")
        if declared.isdigit() and int(declared) > MAX_ANSWER:
            self._refuse(
                response, f"is {int(declared):,} bytes, over the {MAX_ANSWER:,} accepted; {_OWN}"
            )
        chunks, size, started = [], 0, time.monotonic()
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > MAX_ANSWER:
                self._refuse(response, f"is over the {MAX_ANSWER:,} bytes accepted; {_OWN}")
            if time.monotonic() - started > ANSWER_SECONDS:
                self._refuse(response, f"took over {ANSWER_SECONDS} s to arrive")
            chunks.append(chunk)
        response._content = b"".join(chunks)
        response._content_consumed = True
        method = str(getattr(response.request, "method", "")).upper()
        if method in ("PROPFIND", "REPORT") and response.status_code in (200, 207):
            _parse_check(self, response)
        return response

    def _refuse(self, response: Any, reason: str) -> None:
        response.close()
        self.refused = _Refused(reason)
        raise self.refused

    def call(self, what: str, action: Callable[[], Any]) -> Any:
        """Run one request; a refusal, a garbled answer or a network failure becomes a
        :class:`PublishError` that says which and how far the publish got."""
        from caldav.lib import error

        where = self.target.url
        self.refused = None
        try:
            result = action()
        except _Refused:
            pass  # raised below, also when the library caught it and carried on
        except error.AuthorizationError as exc:
            if exc.status == 403:
                raise PublishError(
                    f"{where}: the server does not let '{printable(self.target.username or '')}' "
                    f"{printable(what)} (403 Forbidden)"
                ) from None
            raise PublishError(
                f"{where}: wrong username or password (401 Unauthorized); check --username "
                "and PLANNER_CALDAV_PASSWORD"
            ) from None
        except error.DAVError as exc:
            # The library puts the status and body in .url when it has no reason (errmsg).
            told = exc.reason if exc.reason != error.DAVError.reason else exc.url
            raise PublishError(
                f"{where}: the server refused to {printable(what)} "
                f"({self.clean(str(told or 'it gave no reason'))})"
            ) from None
        except SyntaxError:
            # lxml's XMLSyntaxError is a SyntaxError: the answer was not WebDAV XML.
            self.refused = _Refused(_NOT_XML)
        except OSError as exc:
            # The HTTP library's errors (niquests or requests, whichever caldav uses) are
            # OSErrors that wrap the socket's own: those say what went wrong.
            raise PublishError(
                f"cannot reach {where} ({self.clean(network_reason(exc), 150)}){self._progress()}"
            ) from None
        if self.refused is not None:
            raise PublishError(
                f"{where}: the answer when trying to {printable(what)} {self.refused}"
                f"{self._progress()}"
            ) from None
        return result

    def clean(self, text: str, limit: int = 200) -> str:
        """Server text fit for a message: see :func:`redact`."""
        return redact(text, self.secrets, limit)

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
                f"to {printable(what)}; check --caldav-url"
            )
        reason = self.clean(f"{response.status} {response.reason}".strip(), 100)
        detail = self.clean(str(response.raw or ""))
        raise PublishError(
            f"{self.target.url}: the server refused to {printable(what)} ({reason}"
            + (f": {detail}" if detail and detail != reason.partition(" ")[2] else "")
            + ")"
        )


_OWN = "publish the plan to a calendar of its own (a new --calendar-name, the account URL)"
_NOT_XML = "is not CalDAV (the XML does not parse); check --caldav-url points at a CalDAV server"


def _parse_check(session: _Session, response: Any) -> None:
    from lxml import etree  # type: ignore[import-untyped]

    try:
        etree.fromstring(
            response._content,
            parser=etree.XMLParser(resolve_entities=False, no_network=True),
        )
    except etree.XMLSyntaxError:
        session._refuse(response, _NOT_XML)


def secrets(username: str | None, password: str | None) -> list[str]:
    """Every form of the password a server could echo back: as typed, percent-encoded,
    and the Basic credentials (base64 of ``user:password`` in UTF-8 and Latin-1, the two
    encodings HTTP libraries use), longest first."""
    if not password:
        return []
    found = {password, quote(password, safe="")}
    for encoding in ("utf-8", "latin-1"):
        try:
            pair = f"{username or ''}:{password}".encode(encoding)
        except UnicodeEncodeError:
            continue
        token = base64.b64encode(pair).decode("ascii")
        found.update((token, token.rstrip("=")))
    return sorted(found, key=len, reverse=True)


def redact(text: str, hidden: list[str], limit: int = 200) -> str:
    """Server text fit for a message: every ``hidden`` string and every ``Authorization``
    value replaced, then one line of at most ``limit`` characters, escaped; a piece of a
    secret left at the end (the server's or our cut) is hidden too."""
    text = _AUTHORIZATION.sub(r"\1[hidden]", text)
    for secret in hidden:
        text = text.replace(secret, "[hidden]")
    one_line = _escape(" ".join(text.split()))
    shortened = len(one_line) > limit
    line = one_line[: limit - 1] if shortened else one_line
    for secret in hidden:
        for size in range(len(secret) - 1, 3, -1):
            if line.endswith(secret[:size]):
                line = line[:-size] + "[hidden]"
                break
    return line + ("…" if shortened else "")


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
    # The server chose this URL: shown escaped, remembered as it is.
    counts = Counts(collection=printable(collection, 500), made_collection=made)
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
