"""One connection to a CalDAV server: requests whose every failure becomes one
:class:`PublishError` line that says why (the password never in it), and answers read
within bounds before the library sees them."""

import base64
import logging
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from planner.caldav.urls import _escape, printable
from planner.errors import PublishError

CONTENT_TYPE = "text/calendar; charset=utf-8"
_CHUNK = 65536
_AUTHORIZATION = re.compile(r"(?i)((?:proxy-)?authorization[\"']?\s*[:=]\s*)[^\r\n]*")


@dataclass(frozen=True, slots=True)
class Target:
    """Where to publish and as whom. The password is never printed or logged.

    ``color`` is the calendar colour as ``#RRGGBB`` (None: leave it as it is).
    """

    url: str
    username: str | None
    password: str | None = field(repr=False)
    calendar_name: str
    allow_http: bool = False
    color: str | None = None


def _limits() -> Any:
    """The package, whose TIMEOUT, MAX_ANSWER and ANSWER_SECONDS are read at each use, so
    a caller (or a test) tunes them in one place: ``planner.caldav.TIMEOUT = 5``."""
    import planner.caldav

    return planner.caldav


class _Refused(PublishError):
    """An answer this module will not hand to the library (too big, too slow, not XML)."""


class Session:
    """Requests with every failure turned into a :class:`PublishError` that says why.

    One per thread: the HTTP library's sessions are not documented as thread-safe, so
    parallel requests each get their own (and their own kept-alive connection). ``auth``
    is one already negotiated by another session, saving the 401 round trip.
    """

    def __init__(self, target: Target, auth: Any = None) -> None:
        from caldav.davclient import DAVClient

        # The library logs its doubts about odd answers; the error line says what matters.
        library_log = logging.getLogger("caldav")
        if not any(isinstance(h, logging.NullHandler) for h in library_log.handlers):
            library_log.addHandler(logging.NullHandler())  # once, not once per session
        library_log.propagate = False
        self.target = target
        self.secrets = secrets(target.username, target.password)
        self.refused: _Refused | None = None
        self.client = DAVClient(
            target.url,
            username=target.username,
            password=target.password,
            auth=auth,
            timeout=_limits().TIMEOUT,
            enable_rfc6764=False,  # the URL is given; no DNS discovery
        )
        self.client.session.hooks["response"].append(self._read_answer)

    def _read_answer(self, response: Any, **_: Any) -> Any:
        """Read an answer's body within :data:`MAX_ANSWER` and :data:`ANSWER_SECONDS`, and
        make sure a PROPFIND or REPORT success is XML, before the library sees it (it
        reads everything, and trips over a multi-status that is empty or not XML)."""
        most, seconds = _limits().MAX_ANSWER, _limits().ANSWER_SECONDS
        declared = str(response.headers.get("Content-Length") or "")
        if declared.isdigit() and int(declared) > most:
            self._refuse(
                response, f"is {int(declared):,} bytes, over the {most:,} accepted; {_OWN}"
            )
        chunks, size, started = [], 0, time.monotonic()
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > most:
                self._refuse(response, f"is over the {most:,} bytes accepted; {_OWN}")
            if time.monotonic() - started > seconds:
                self._refuse(response, f"took over {seconds} s to arrive")
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
        :class:`PublishError` that says which."""
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
            if self.target.username is None:
                raise PublishError(
                    f"{where}: the server asks for a user name: give --username (the "
                    "password then comes from PLANNER_CALDAV_PASSWORD or a prompt)"
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
                f"cannot reach {where} ({self.clean(network_reason(exc), 150)})"
            ) from None
        if self.refused is not None:
            raise PublishError(
                f"{where}: the answer when trying to {printable(what)} {self.refused}"
            ) from None
        return result

    def clean(self, text: str, limit: int = 200) -> str:
        """Server text fit for a message: see :func:`redact`."""
        return redact(text, self.secrets, limit)

    def close(self) -> None:
        """Close the session's connections."""
        self.client.close()

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


def _parse_check(session: Session, response: Any) -> None:
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
