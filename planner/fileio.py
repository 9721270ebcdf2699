"""Safe file output: check paths before any work, then replace files atomically.

A crash or a full disk leaves either the old file or the new one, never a fragment. A
command that writes several files and saves to the store stages every file first
(:class:`Staged`), commits the store, then renames the staged files into place.

What an output may be:

* a regular file, or a name that does not exist yet: replaced atomically;
* a symbolic link: followed, and the file it points to is replaced atomically (the link
  stays a link);
* ``-``: standard output, written only once everything else has succeeded;
* anything else (a folder, a device, a FIFO, a socket) is refused, as is a file the
  command reads or keeps (the plan store and its journal files, the template in use).
"""

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
import time
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from planner.errors import OutputError

# Folders whose file system cannot sync a directory (some network and FUSE mounts) answer
# these; the rename is done by then, so the file is as safe as that file system allows.
_NO_DIRECTORY_SYNC = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF})

STDOUT = "-"
"""The output name that means standard output."""

# Temporary files are ``.NAME.XXXXXXXX.tmp`` (NAME cut to 100 characters; eight characters
# from tempfile's alphabet). One left by a killed run is removed on a later write beside
# the same output once it is this old, so a run still writing it is never disturbed.
_NAME_LIMIT = 100
_STALE_SECONDS = 600
_RANDOM_PART = r"[a-z0-9_]{8}"

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def is_stdout(path: Path) -> bool:
    """Whether ``path`` is ``-``, standard output."""
    return str(path) == STDOUT


def safe_file_name(name: str, fallback: str = "plan") -> str:
    """``name`` as a plain file name in the working folder: no path separators, no leading
    dot, no control characters, at most 200 bytes.

    >>> safe_file_name("../x"), safe_file_name("/abs/p"), safe_file_name("knee\\nplan")
    ('x', 'abs-p', 'kneeplan')
    >>> safe_file_name("..")
    'plan'
    """
    kept = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    for separator in {"/", "\\", os.sep, os.altsep or "/"}:
        kept = kept.replace(separator, "-")
    kept = kept.strip(" .-")
    while len(kept.encode()) > 200:
        kept = kept[:-1]
    return kept or fallback


def store_files(path: Path) -> dict[Path, str]:
    """The plan store at ``path`` and the journal files SQLite keeps beside it."""
    kept = {path: "the plan store (every saved plan and the training log)"}
    for suffix in ("-wal", "-shm", "-journal"):
        kept[Path(f"{path}{suffix}")] = "a journal file of the plan store"
    return kept


def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _target(path: Path) -> Path:
    """The file a write to ``path`` replaces: a symbolic link is followed to its file."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temp_file(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``. Its name is cut short so that a file name
    near the system's limit still gets a temporary name that fits."""
    return tempfile.mkstemp(prefix=f".{path.name[:_NAME_LIMIT]}.", suffix=".tmp", dir=_folder(path))


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path after links, or (for files
    that exist) the same device and inode, which also catches hard links."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _refuse_kept(path: Path, option: str, keep: Mapping[Path, str]) -> None:
    for kept, what in keep.items():
        if _same_file(path, kept):
            raise OutputError(
                f"{option}: {path} is {what}; writing there would destroy it, choose another file"
            )


def _kind(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file (links followed)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return next((kind for test, kind in _KINDS if test(mode)), None)


def check_writable(path: Path, option: str, keep: Mapping[Path, str] | None = None) -> None:
    """Fail early, before generating anything, if ``path`` cannot be written.

    ``keep`` maps files the command must not overwrite (the store, the template in use)
    to what they are. Creates and removes a temporary file beside the file ``path`` names,
    the way :func:`write_atomic` will, so a folder that refuses new files (``/proc``, a
    full or read-only disk) is found before any store change. ``-`` (standard output)
    always passes.

    Raises:
        OutputError: naming ``option`` and the path, and what to do instead.
    """
    if is_stdout(path):
        return
    _refuse_kept(path, option, keep or {})
    try:
        target = _target(path)
        _check(path, target, option)
        fd, tmp = _temp_file(target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{option}: {path}: cannot write there ({reason})") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _check(path: Path, target: Path, option: str) -> None:
    parent = _folder(target)
    kind = _kind(target)
    if kind == "a folder":
        raise OutputError(
            f"{option}: {path} is a directory; give a file name such as {path / 'plan.ics'}"
        )
    if kind is not None:
        raise OutputError(f"{option}: {path} is {kind}, not a regular file; choose a file name")
    if not parent.exists():
        raise OutputError(
            f"{option}: folder {parent} does not exist; create it or choose another path"
        )
    if not parent.is_dir():
        raise OutputError(f"{option}: {parent} is not a folder")
    if not _can_write(parent):
        raise OutputError(f"{option}: cannot write in {parent} (permission denied)")
    if target.exists() and not _can_write(target):
        raise OutputError(
            f"{option}: {path} is read-only; choose another path or change its permissions"
        )


def sweep_stale(path: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files a killed run left beside ``path`` (only names this module
    gives for ``path``, and only once they are ten minutes old); returns what it removed."""
    pattern = re.compile(
        re.escape(f".{path.name[:_NAME_LIMIT]}.") + _RANDOM_PART + re.escape(".tmp")
    )
    limit = (time.time() if now is None else now) - _STALE_SECONDS
    removed: list[Path] = []
    try:
        entries = list(os.scandir(_folder(path)))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _stage(target: Path, data: bytes, shown: Path) -> str:
    """Write ``data`` to a new temporary file beside ``target``, synced to disk and with
    the permissions ``target`` has (or would get); returns its name."""
    tmp: str | None = None
    try:
        fd, tmp = _temp_file(target)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            # Keep the permissions the person gave the existing file.
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    return tmp


class Staged:
    """Files written to temporary files first and put in place together by :meth:`commit`.

    Use it as a context manager: whatever is not committed when the block ends (an error,
    a store commit that failed) is removed, and no output is touched::

        with Staged() as staged:
            staged.write(out, data)      # temporary file beside out, synced
            store.save(...)              # the store commits
            staged.commit()              # renames; only now do the outputs change
    """

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path, str]] = []
        self._stdout: list[bytes] = []

    def __enter__(self) -> "Staged":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.abort()

    def write(self, path: Path, data: bytes) -> None:
        """Stage ``data`` for ``path`` (``-`` is standard output, written at commit).

        Raises:
            OutputError: ``path`` is not a regular file, or the temporary file cannot be
                written (a full disk, say); nothing is left behind.
        """
        if is_stdout(path):
            self._stdout.append(data)
            return
        try:
            target = _target(path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        kind = _kind(target)
        if kind is not None:
            raise OutputError(f"cannot write {path}: it is {kind}, not a regular file")
        sweep_stale(target)
        self._files.append((path, target, _stage(target, data, path)))

    def commit(self, after_failure: str = "") -> None:
        """Rename every staged file over its output, sync the folders, then write what goes
        to standard output.

        Raises:
            OutputError: a file could not be put in place (the others were); the message
                names it and ends with ``after_failure`` (what is saved, how to redo it).
        """
        failed: list[str] = []
        folders: set[Path] = set()
        while self._files:
            path, target, tmp = self._files.pop(0)
            try:
                os.replace(tmp, target)
                folders.add(_folder(target))
            except OSError as exc:
                failed.append(f"{path} ({exc.strerror or exc})")
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        for folder in sorted(folders):
            # Best effort: the new files are in place once renamed. A folder that can be
            # written but not opened for reading (a drop folder, mode 733), or a file system
            # that cannot sync folders, must not turn a done write into "cannot write".
            with contextlib.suppress(OSError):
                _sync_folder(folder)
        if not failed:
            try:
                for data in self._stdout:
                    sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            except OSError as exc:
                failed.append(f"standard output ({exc.strerror or exc})")
        self._stdout = []
        if failed:
            tail = f"; {after_failure}" if after_failure else ""
            raise OutputError(f"cannot write {', '.join(failed)}{tail}")

    def abort(self) -> None:
        """Remove every staged file that was not committed; the outputs stay as they were."""
        while self._files:
            with contextlib.suppress(OSError):
                os.unlink(self._files.pop()[2])
        self._stdout = []


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, rename it over
    ``path``, then fsync the folder so the rename itself survives a power cut.

    Raises:
        OutputError: the file cannot be written; ``path`` is left as it was.
    """
    with Staged() as staged:
        staged.write(path, data)
        staged.commit()


def _sync_folder(folder: Path) -> None:
    """fsync the folder's entry list, where the system allows it (not on Windows)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    if os.name == "nt":
        return
    fd = os.open(folder, flags)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIRECTORY_SYNC:
            raise
    finally:
        os.close(fd)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refused past ``limit`` bytes.

    Devices and pipes are refused before they are opened: a pipe without a writer would
    block, and /dev/zero never ends.

    Raises:
        OSError: it cannot be read; ``strerror`` says why (also for a non-regular file
            or one too large).
    """
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // 1_000_000} MB", str(path))
    return data
