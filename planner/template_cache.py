"""Validated templates and exercise libraries kept in the user cache folder.

Validating a template builds pydantic's validators, which costs more than the rest of a
short command. Once a template (or a library) has been read, validated and cross-checked,
the result is written here as JSON and read back next time with
:func:`~planner.models.construct.construct`, which builds no validator, as long as nothing
it came from has changed.

An entry is used only when all of these match what they were when it was written:

- the cache format, the planner's version and pydantic's (another version may read the
  same file another way);
- what the result was built against: the template's own path and the exercise library it
  was checked with (by the files that library came from);
- the bytes of every file the slow path read (sha256), each at its absolute path, and for a
  template the exercise files it names still resolve to those paths.

Only results that passed every check are written: a file with a problem is always read
and reported the slow way. Nothing here may break a command: a damaged, foreign or
unreadable entry is a miss (and is rewritten), an unwritable folder means no cache.
Entries are written to a temporary file and renamed into place, so a reader never sees
half of one; each template (or library) path has one entry, replaced when it changes.
"""

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from planner.fileio import read_limited

if TYPE_CHECKING:
    from planner.models import ExerciseLibrary, ProgramTemplate

T = TypeVar("T")

# A new number whenever the layout of an entry changes.
FORMAT = 1

# The largest entry read back: the largest template and library give well under this.
MAX_ENTRY_BYTES = 20_000_000


def cache_folder() -> Path | None:
    """``$PLANNER_CACHE_DIR``, else ``$XDG_CACHE_HOME/planner``, else the platform's user
    cache folder; None when there is none (no home folder to put it in)."""
    try:
        env = os.environ.get("PLANNER_CACHE_DIR")
        if env:
            return Path(env).expanduser()
        # The XDG rules: a relative path is to be ignored.
        xdg = os.environ.get("XDG_CACHE_HOME")
        if xdg and os.path.isabs(xdg):
            return Path(xdg) / "planner"
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no password entry, or ~nosuchuser
        return None
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "planner" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "planner"
    return home / ".cache" / "planner"


def _versions() -> str | None:
    """What an entry was written under: the cache format, pydantic's version and the
    planner's :func:`~planner.validation_key.template_key` (its version, models and
    template checks); None: no cache (the planner cannot tell what checked an entry)."""
    import pydantic

    from planner.validation_key import template_key

    checks = template_key()
    return None if checks is None else f"{FORMAT}/{pydantic.VERSION}/{checks}"


def file_digest(data: bytes) -> str:
    """The sha256 of a file's bytes, as an entry records it."""
    return hashlib.sha256(data).hexdigest()


# The files read while a result is being built: (absolute path, sha256 of the bytes read).
# A stack, so a library read while a program is read is recorded for both.
_RECORDING: list[list[tuple[str, str]]] = []


def note_read(path: Path, data: bytes) -> None:
    """Record that ``path`` was read with bytes ``data`` (called by the TOML reader)."""
    if _RECORDING:
        entry = (str(path.absolute()), file_digest(data))
        for reads in _RECORDING:
            reads.append(entry)


@contextmanager
def recording() -> Iterator[list[tuple[str, str]]]:
    """Collect every file read inside the block, in order."""
    reads: list[tuple[str, str]] = []
    _RECORDING.append(reads)
    try:
        yield reads
    finally:
        _RECORDING.remove(reads)


# Where each library this process loaded came from, as a digest of its files: a program is
# cached only against a library whose origin is known. Kept with the library itself (models
# cannot be weakly referenced), so an id is never reused while it is listed; a command
# loads a handful of libraries at most.
_ORIGINS: dict[int, tuple[object, str]] = {}


def _remember(library: "ExerciseLibrary", source: str) -> None:
    _ORIGINS[id(library)] = (library, source)


def origin(library: "ExerciseLibrary") -> str | None:
    """The digest of the files ``library`` was read from, if this process read it."""
    known = _ORIGINS.get(id(library))
    return known[1] if known is not None and known[0] is library else None


def _entry_path(folder: Path, kind: str, where: str) -> Path:
    return folder / f"{kind}-{hashlib.sha256(_bytes(where)).hexdigest()[:24]}.json"


def _bytes(text: str) -> bytes:
    # A path may hold bytes that are not UTF-8 (kept by Python as surrogates): as they are.
    return text.encode("utf-8", "surrogateescape")


def _files_unchanged(reads: Any) -> bool:
    """Whether every recorded file still has the bytes it had."""
    from planner.templates import MAX_TEMPLATE_BYTES

    if type(reads) is not list or not reads:  # every result came from some file
        return False
    for item in reads:
        if type(item) is not list or len(item) != 2 or not all(type(x) is str for x in item):
            return False
        try:
            data = read_limited(Path(item[0]), MAX_TEMPLATE_BYTES)
        except OSError:
            return False
        if file_digest(data) != item[1]:
            return False
    return True


def _read_entry(path: Path, key: str) -> dict[str, Any] | None:
    """The payload of the entry at ``path`` if it is whole, ours and for ``key``."""
    try:
        raw = read_limited(path, MAX_ENTRY_BYTES)
    except OSError:
        return None
    head, _, body = raw.partition(b"\n")
    # The first line is the body's sha256: a torn or altered entry is noticed before it
    # is parsed (construct checks shapes, not values).
    if head.decode("ascii", "replace") != file_digest(body):
        return None
    try:
        entry = json.loads(body)
    except ValueError:
        return None
    if type(entry) is not dict or entry.get("key") != key:
        return None
    if not _files_unchanged(entry.get("reads")):
        return None
    return entry


def _write_entry(path: Path, payload: dict[str, Any]) -> None:
    """Write an entry atomically; any trouble means no cache this time, silently."""
    try:
        # ASCII: a path's bytes that are not UTF-8 come back as they were (escaped).
        body = json.dumps(payload, separators=(",", ":")).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(file_digest(body).encode() + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, ValueError, TypeError):
        return


def _cached(
    kind: str,
    where: str,
    context: str,
    build: Callable[[], T],
    dump: Callable[[T], dict[str, Any]],
    rebuild: Callable[[dict[str, Any]], T | None],
    on_result: Callable[[T, str], None] | None = None,
) -> T:
    """``build()``, or the entry for ``where`` written by an earlier ``build()`` with the
    same ``context`` while every file it read is unchanged.

    ``rebuild`` turns an entry's data back into the result (None: the entry does not fit
    the situation now); ``on_result`` gets the result and a digest of where it came from
    (the key and every file read with its bytes' digest).
    """
    folder, versions = cache_folder(), _versions()
    if folder is None or versions is None:
        return build()
    key = hashlib.sha256(_bytes(f"{versions}\n{kind}\n{where}\n{context}")).hexdigest()
    path = _entry_path(folder, kind, where)
    try:
        entry = _read_entry(path, key)
        # Damaged or foreign data (construct refuses a shape it does not know), or a name
        # that no longer resolves: the slow path reads and reports it as ever.
        result = rebuild(entry) if entry is not None else None
        if entry is not None and result is not None:
            if on_result is not None:
                on_result(result, _source(key, entry["reads"]))
            return result
    except Exception:  # nothing in the cache may stop a command: read the files instead
        pass
    with recording() as reads:
        result = build()
    if on_result is not None:
        on_result(result, _source(key, reads))
    try:
        data = dump(result)
    except Exception:  # a result that cannot be written down is simply not cached
        return result
    _write_entry(path, {"key": key, "reads": reads, "data": data})
    return result


# A temporary file older than this was left by a process that stopped half-way.
STALE_SECONDS = 3600


def _sweep(folder: Path) -> None:
    """Remove temporary files that processes stopped half-way left behind."""
    now = time.time()
    for stale in folder.glob(".tmp-*.json"):
        with suppress(OSError):
            if now - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()


def _source(key: str, reads: list[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps([key, reads]).encode()).hexdigest()


def _dump(model: Any) -> Any:
    # Unset fields left out: they come back as the same defaults (see construct).
    return model.model_dump(mode="json", exclude_unset=True)


def library(path: Path, build: Callable[[], "ExerciseLibrary"]) -> "ExerciseLibrary":
    """The exercise library at ``path``: ``build()`` (read and validate) or the cache."""
    from planner.models import ExerciseLibrary
    from planner.models.construct import construct

    return _cached(
        "library",
        str(path.absolute()),
        "",
        build,
        _dump,
        lambda entry: construct(ExerciseLibrary, entry["data"]),
        _remember,
    )


def base(
    shipped: "ExerciseLibrary", personal: Path, build: Callable[[], "ExerciseLibrary"]
) -> "ExerciseLibrary":
    """The shipped library with the personal one at ``personal`` added: ``build()`` or the
    cache. Not cached when the shipped library's origin is unknown."""
    from planner.models import ExerciseLibrary
    from planner.models.construct import construct

    shipped_origin = origin(shipped)
    if shipped_origin is None:
        return build()
    return _cached(
        "base",
        str(personal.absolute()),
        shipped_origin,
        build,
        _dump,
        lambda entry: construct(ExerciseLibrary, entry["data"]),
        _remember,
    )


def program(
    path: Path,
    against: "ExerciseLibrary",
    build: Callable[[], "tuple[ProgramTemplate, ExerciseLibrary]"],
    file_paths: Callable[["ProgramTemplate", Path], list[Path]],
) -> "tuple[ProgramTemplate, ExerciseLibrary]":
    """The program at ``path`` checked against ``against``, and the library with the
    program's own exercises: ``build()`` or the cache.

    ``file_paths(program, path)`` names the exercise files the program adds, as read now:
    an entry whose files resolve elsewhere today (another home folder) is not used. Not
    cached when the library's origin is unknown.
    """
    from planner.models import ExerciseLibrary, ProgramTemplate
    from planner.models.construct import construct

    library_origin = origin(against)
    if library_origin is None:
        return build()

    def dump(result: "tuple[ProgramTemplate, ExerciseLibrary]") -> dict[str, Any]:
        prog, lib = result
        # The same library object back when the program adds nothing to it.
        return {"program": _dump(prog), "library": None if lib is against else _dump(lib)}

    def rebuild(entry: dict[str, Any]) -> "tuple[ProgramTemplate, ExerciseLibrary] | None":
        data = entry["data"]
        prog = construct(ProgramTemplate, data["program"])
        wanted = [str(path.absolute())] + [str(p.absolute()) for p in file_paths(prog, path)]
        if [r[0] for r in entry["reads"]] != wanted:
            return None
        lib = against if data["library"] is None else construct(ExerciseLibrary, data["library"])
        return prog, lib

    return _cached("program", str(path.absolute()), library_origin, build, dump, rebuild)
