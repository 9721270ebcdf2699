"""Finding the calendar to publish to, making it when it is missing, and its colour.

Raw WebDAV requests with bodies of our own rather than the library's calendar objects: one
PROPFIND lists the whole calendar home with names and colours (the library asks one per
calendar), and a URL that does not exist yet can be made right there.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from planner.caldav.session import Session
from planner.caldav.urls import collection_id, joined, parent, printable, same_path
from planner.errors import PublishError

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
APPLE = "{http://apple.com/ns/ical/}"
_NAMESPACES = (
    'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/"'
)
_ABOUT = (
    f'<?xml version="1.0" encoding="utf-8"?><D:propfind {_NAMESPACES}><D:prop>'
    "<D:resourcetype/><D:displayname/><A:calendar-color/></D:prop></D:propfind>"
)
_PRINCIPAL = (
    f'<?xml version="1.0" encoding="utf-8"?><D:propfind {_NAMESPACES}><D:prop>'
    "<D:current-user-principal/></D:prop></D:propfind>"
)
_HOME = (
    f'<?xml version="1.0" encoding="utf-8"?><D:propfind {_NAMESPACES}><D:prop>'
    "<C:calendar-home-set/></D:prop></D:propfind>"
)


def escape(text: str) -> str:
    """``text`` fit for XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, slots=True)
class Collection:
    """The calendar collection publishing writes to."""

    url: str
    made: bool = False
    recoloured: bool = False


@dataclass(frozen=True, slots=True)
class _Found:
    href: str
    props: dict[str, Any]
    missing: bool = False  # the server answered for it "404 Not Found" (Xandikos does)

    def text(self, tag: str) -> str | None:
        element = self.props.get(tag)
        return None if element is None else "".join(element.itertext()).strip()

    def is_calendar(self) -> bool:
        kinds = self.props.get(f"{DAV}resourcetype")
        return kinds is not None and kinds.find(f"{CALDAV}calendar") is not None

    def href_in(self, tag: str) -> str | None:
        element = self.props.get(tag)
        found = None if element is None else element.find(f"{DAV}href")
        return None if found is None or not found.text else found.text.strip()


def multistatus(response: Any) -> list[_Found]:
    """Every ``response`` of a 207 answer: its href and the properties found (200)."""
    tree = response.tree
    found = []
    for item in [] if tree is None else tree.iter(f"{DAV}response"):
        href = item.find(f"{DAV}href")
        if href is None or not href.text:
            continue
        props: dict[str, Any] = {}
        status = item.find(f"{DAV}status")
        missing = status is not None and " 404 " in f"{status.text} "
        for propstat in item.iter(f"{DAV}propstat"):
            status = propstat.find(f"{DAV}status")
            if status is not None and " 200 " not in f"{status.text} ":
                continue
            for prop in propstat.iter(f"{DAV}prop"):
                props.update((child.tag, child) for child in prop)
        found.append(_Found(href.text.strip(), props, missing))
    return found


def _propfind(
    session: Session, url: str, body: str, depth: int, what: str, missing_ok: bool = False
) -> list[_Found]:
    """The answer to one PROPFIND (``[]`` for a 404 when ``missing_ok``)."""
    client = session.client
    response = session.call(what, lambda: client.propfind(url, body, depth=depth))
    if missing_ok and response.status == 404:
        return []
    session.check(response, what)
    return multistatus(response)


def find_collection(session: Session) -> Collection:
    """The calendar to publish to: the URL itself if it is a calendar collection; a URL
    that does not exist yet in the account's calendar home, made there; else the account's
    calendar with the wanted name, made when missing. Its colour is set when asked for and
    not what the server holds.
    """
    target = session.target
    client = session.client
    response = session.call("read the URL", lambda: client.propfind(target.url, _ABOUT, depth=0))
    found = multistatus(response) if response.status == 207 else []
    if response.status == 404 or (found and found[0].missing):
        return _make_here(session)
    session.check(response, "read the URL")
    if found and found[0].is_calendar():
        # As the server names it, with its slash: object names are joined onto it.
        url = joined(target.url, found[0].href).rstrip("/") + "/"
        return Collection(url, recoloured=_recolour(session, url, found[0]))
    home = _home(session, target.url)
    listed = _propfind(session, home, _ABOUT, 1, "list your calendars")
    for entry in listed:
        if entry.is_calendar() and entry.text(f"{DAV}displayname") == target.calendar_name:
            # With its slash, as above: object names are joined onto it.
            url = joined(home, entry.href).rstrip("/") + "/"
            return Collection(url, recoloured=_recolour(session, url, entry))
    url = joined(home, collection_id(target.calendar_name) + "/")
    _make(session, url)
    return Collection(url, made=True)


def _home(session: Session, url: str) -> str:
    """The account's calendar home (``calendar-home-set`` of the current user's principal,
    found from ``url``, or from the server's root when nothing is at ``url``)."""
    found = _propfind(session, url, _PRINCIPAL, 0, "find your calendars", missing_ok=True)
    if not found or found[0].missing:
        url = joined(url, "/")
        found = _propfind(session, url, _PRINCIPAL, 0, "find your calendars")
    principal = found[0].href_in(f"{DAV}current-user-principal") if found else None
    if principal is None:
        raise PublishError(
            f"{session.target.url}: the server does not say whose account this is "
            "(no current-user-principal); give the URL of a calendar"
        )
    found = _propfind(session, joined(url, principal), _HOME, 0, "find your calendars")
    home = found[0].href_in(f"{CALDAV}calendar-home-set") if found else None
    if home is None:
        raise PublishError(
            f"{session.target.url}: the server names no calendar home for this account "
            "(no calendar-home-set); give the URL of a calendar"
        )
    return joined(url, home)


def _make_here(session: Session) -> Collection:
    """Make the calendar at the URL given, which does not exist yet, when its parent is
    the account's calendar home (anywhere else it is a typo more often than a wish)."""
    url = session.target.url
    if not url.endswith("/"):
        url += "/"
    home = _home(session, parent(url))
    # The server decodes %2F and resolves dot segments that parent() does not see: a last
    # segment that hides either could make a calendar in someone else's folder.
    last = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    hidden = "/" in last or "\\" in last or last in ("", ".", "..")
    if hidden or "/../" in unquote(urlsplit(url).path) + "/" or not same_path(parent(url), home):
        raise PublishError(
            f"{session.target.url}: the server has nothing there (404 Not Found); a new "
            f"calendar is made only in your calendar home ({printable(home, 300)}); "
            "check --caldav-url"
        )
    _make(session, url)
    return Collection(url, made=True)


def _properties(session: Session) -> str:
    name = f"<D:displayname>{escape(session.target.calendar_name)}</D:displayname>"
    color = session.target.color
    return name + (f"<A:calendar-color>{color}</A:calendar-color>" if color else "")


def _make(session: Session, url: str) -> None:
    """MKCALENDAR at ``url`` with the calendar's name and colour."""
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><C:mkcalendar {_NAMESPACES}><D:set><D:prop>'
        f"{_properties(session)}</D:prop></D:set></C:mkcalendar>"
    )
    what = f"create the calendar '{session.target.calendar_name}'"
    response = session.call(what, lambda: session.client.mkcalendar(url, body))
    session.check(response, what)


def _recolour(session: Session, url: str, found: _Found) -> bool:
    """Set the calendar's colour when one is asked for and the server holds another
    (Apple's ``calendar-color``, ``#RRGGBB`` with an optional alpha that is ignored)."""
    wanted = session.target.color
    held = (found.text(f"{APPLE}calendar-color") or "").upper()
    if wanted is None or held[:7] == wanted.upper():
        return False
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><D:propertyupdate {_NAMESPACES}><D:set>'
        f"<D:prop><A:calendar-color>{wanted}</A:calendar-color></D:prop></D:set>"
        "</D:propertyupdate>"
    )
    response = session.call("set the calendar colour", lambda: session.client.proppatch(url, body))
    session.check(response, "set the calendar colour")
    return True
