"""CalDAV URLs: checking what is typed, naming new calendars, and the key that publishing
remembers a calendar under."""

import hashlib
import ipaddress
import re
import unicodedata
from urllib.parse import quote, unquote, urljoin, urlsplit

from planner.errors import OptionError

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


# What a path segment may hold unescaped (RFC 3986 pchar): everything else is %-encoded, in
# upper case, so two spellings of one path are one string.
_PCHAR = "!$&'()*+,;=:@-._~"
_DEFAULT_PORTS = {"http": 80, "https": 443}
SLUG_CHARS = 40  # of the readable part of a new calendar's id


def normal_path(path: str) -> str:
    """``path`` with every segment's percent-encoding normalised (``%c3%bc``, ``%C3%BC``
    and ``ü`` all become ``%C3%BC``; ``%7E`` becomes ``~``)."""
    return "/".join(quote(unquote(segment), safe=_PCHAR) for segment in path.split("/"))


def collection_key(url: str) -> str:
    """The key publishing remembers a collection under: ``url`` (as the server reports the
    collection) with scheme and host in lower case, a default port dropped, the path's
    encoding normalised and one trailing slash.

    Every name of this machine (``localhost``, ``127.0.0.1``, ``[::1]``) is one host: they
    reach the same server, and the memory is only ever trusted for an object the server
    lists now with the ETag remembered, so a stale entry costs one re-send, never a wrong
    "unchanged". Other hosts stay apart: one server's ETags mean nothing to another.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _is_loopback(host):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
    path = normal_path(parts.path or "/").rstrip("/") + "/"
    return f"{parts.scheme.lower()}://{netloc}{path}"


def same_path(one: str, other: str) -> bool:
    """Whether two hrefs or URLs name the same resource path on a server."""
    return normal_path(urlsplit(one).path).rstrip("/") == normal_path(urlsplit(other).path).rstrip(
        "/"
    )


def joined(base: str, href: str) -> str:
    """``href`` (a path or URL the server gave) as a URL on ``base``'s server."""
    return urljoin(base, href)


def parent(url: str) -> str:
    """The collection that holds ``url`` (``…/alice/new/`` -> ``…/alice/``)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/").rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def legacy_keys(typed: str, collection: str) -> list[str]:
    """Keys older planners remembered this collection under: the URL as typed, or the
    server's href joined on it, as given or decoded. Looked up once, then moved."""
    path = urlsplit(collection).path
    found = [typed, joined(typed, path), joined(typed, unquote(path)), joined(typed, quote(path))]
    return list(dict.fromkeys(found))


def collection_id(name: str) -> str:
    """The path segment of a new calendar named ``name``: ``planner-`` + a readable ASCII
    part of at most :data:`SLUG_CHARS` characters + a hash of the exact name, so names that
    differ only in punctuation, case or script get different calendars, and the path stays
    short whatever the name (servers refuse long file names)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_name.lower()).split()
    slug = "-".join(words)[:SLUG_CHARS].rstrip("-")
    tag = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return f"planner-{slug}-{tag}" if slug else f"planner-{tag}"
