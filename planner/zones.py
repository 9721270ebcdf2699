"""Time zones from the newer of the two IANA databases a machine may have.

:mod:`zoneinfo` looks in the system's database (the folders of ``zoneinfo.TZPATH``) first
and falls back to the ``tzdata`` package only for a name the system lacks. So on a machine
whose operating system ships an older database, the newer one planner installs is ignored
and sessions in zones whose rules changed since (Casablanca, Vancouver, Havana, ...) come out
at the wrong hour. :func:`zone` reads every zone from the newer database instead, decided
once per process by :func:`database`; the other one is kept as a fallback for a name only it
has.

Zones are cached by name, as ``ZoneInfo(name)`` caches them: two datetimes built with
``zone("Europe/Berlin")`` share one tzinfo object, which is what makes Python compare and
subtract them by wall time within the zone. Only the standard library is imported, so the
command line can name the database cheaply (``planner --version``).
"""

import functools
import os
import re
import threading
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Literal

_VERSION = re.compile(r"(\d{4})([a-z]*)")
_ZI_VERSION = re.compile(r"#\s*version\s+(\S+)")


@dataclass(frozen=True, slots=True)
class Database:
    """The database zones are read from, and the other one that fills in missing names.

    Attributes:
        source: ``bundled`` (the ``tzdata`` package) or ``system`` (the TZPATH folders).
        version: its IANA release, e.g. ``2026a``; None when the files do not say.
        tzpath: the system folders, searched in order like zoneinfo does.
        bundled: whether the ``tzdata`` package is installed.
    """

    source: Literal["bundled", "system"]
    version: str | None
    tzpath: tuple[str, ...]
    bundled: bool

    def describe(self) -> str:
        """Which database, for people: ``tzdata 2026a, bundled``."""
        return f"tzdata {self.version or 'of unknown version'}, {self.source}"

    def zone(self, key: str) -> zoneinfo.ZoneInfo:
        """The zone ``key`` from this database (the other one if only it has the name).

        Raises:
            ValueError: ``key`` is not a relative path inside a database (e.g. ``../x``).
            zoneinfo.ZoneInfoNotFoundError: neither database has a zone of that name.
        """
        return _load(self, key)


def _version_key(version: str) -> tuple[int, int, str]:
    # 2025z is followed by 2025za in IANA's scheme, so a longer suffix is later.
    match = _VERSION.fullmatch(version)
    if match is None:
        return (0, 0, "")
    year, letters = match.groups()
    return (int(year), len(letters), letters)


def system_version(tzpath: Sequence[str]) -> str | None:
    """The IANA release of the system database: the first TZPATH folder that exists.

    Debian and most Linux distributions ship ``tzdata.zi`` whose first lines say
    ``# version 2025b``; macOS ships a ``+VERSION`` file.
    """
    for folder in tzpath:
        if not os.path.isdir(folder):
            continue
        try:
            with open(os.path.join(folder, "tzdata.zi"), encoding="utf-8") as zi:
                for line in [zi.readline() for _ in range(3)]:
                    if found := _ZI_VERSION.match(line):
                        return found.group(1)
        except (OSError, UnicodeDecodeError):
            pass
        try:
            with open(os.path.join(folder, "+VERSION"), encoding="utf-8") as plus:
                return plus.read(32).strip() or None
        except (OSError, UnicodeDecodeError):
            return None
    return None


def bundled_version() -> str | None:
    """The IANA release of the installed ``tzdata`` package, None when it is missing."""
    try:
        import tzdata  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    version: str = tzdata.IANA_VERSION
    return version


def choose(tzpath: Sequence[str], bundled: str | None) -> Database:
    """Pick the newer database: the system one at ``tzpath`` or the package at ``bundled``.

    An equal release goes to the package, so the same planner gives the same times on every
    machine; so does a system database that does not say its release. With no package
    installed the system database is all there is.
    """
    folders = tuple(tzpath)
    has_system = any(os.path.isdir(folder) for folder in folders)
    system = system_version(folders)
    if bundled is None or (
        has_system and system is not None and _version_key(system) > _version_key(bundled)
    ):
        return Database("system", system, folders, bundled is not None)
    return Database("bundled", bundled, folders, True)


@functools.cache
def database() -> Database:
    """The database this process reads zones from, decided on first use."""
    return choose(zoneinfo.TZPATH, bundled_version())


def zone(key: str) -> zoneinfo.ZoneInfo:
    """``ZoneInfo(key)``, but read from the newer database (see :func:`database`).

    Raises:
        ValueError: ``key`` is not a relative path inside a database (e.g. ``../x``).
        zoneinfo.ZoneInfoNotFoundError: neither database has a zone of that name.
    """
    return _load(database(), key)


def _check_key(key: str) -> None:
    parts = key.split("/")
    if not key or os.path.isabs(key) or "\\" in key or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"ZoneInfo keys must be relative paths inside a database: {key!r}")


def _open_system(db: Database, key: str) -> IO[bytes] | None:
    for folder in db.tzpath:
        path = os.path.join(folder, key)
        if os.path.isfile(path):
            return open(path, "rb")  # closed by the caller's with
    return None


def _open_bundled(db: Database, key: str) -> IO[bytes] | None:
    if not db.bundled:
        return None
    from importlib import resources  # only when a zone is read: ~16 ms of start-up

    try:
        resource = resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))
        return resource.open("rb") if resource.is_file() else None
    except (ImportError, OSError):
        return None


class _Zone(zoneinfo.ZoneInfo):
    """A zone read from a file, pickled and copied by its name (as ``ZoneInfo(name)`` is),
    so datetimes and plans that carry one can still be copied or sent to another process."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return zone, (str(self.key),)


_CACHE: dict[tuple[Database, str], zoneinfo.ZoneInfo] = {}
_CACHE_LOCK = threading.Lock()


def _load(db: Database, key: str) -> zoneinfo.ZoneInfo:
    """The zone ``key`` from ``db``, one object per name even when threads race: two
    tzinfo objects for one zone would make datetimes in a repeated hour compare unequal."""
    cached = _CACHE.get((db, key))
    if cached is not None:
        return cached
    _check_key(key)
    openers = (_open_bundled, _open_system)
    for opener in openers if db.source == "bundled" else reversed(openers):
        stream = opener(db, key)
        if stream is not None:
            with stream:
                loaded = _Zone.from_file(stream, key=key)
            with _CACHE_LOCK:
                return _CACHE.setdefault((db, key), loaded)
    raise zoneinfo.ZoneInfoNotFoundError(f"No time zone found with key {key}")
