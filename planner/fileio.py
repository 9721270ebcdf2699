"""Safe file output: check paths before any work, then replace files atomically.

A crash or a full disk leaves either the old file or the new one, never a fragment.
"""

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from planner.errors import OutputError

# Folders whose file system cannot sync a directory (some network and FUSE mounts) answer
# these; the rename is done by then, so the file is as safe as that file system allows.
_NO_DIRECTORY_SYNC = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF})


def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _temp_file(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``. Its name is cut short so that a file name
    near the system's limit still gets a temporary name that fits."""
    return tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=_folder(path))


def check_writable(path: Path, option: str) -> None:
    """Fail early, before generating anything, if ``path`` cannot be written.

    Creates and removes a temporary file beside ``path``, the way :func:`write_atomic`
    will, so a folder that refuses new files (``/proc``, a full or read-only disk) is
    found before any store change.

    Raises:
        OutputError: naming ``option`` and the path, and what to do instead.
    """
    try:
        _check(path, option)
        fd, tmp = _temp_file(path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{option}: {path}: cannot write there ({reason})") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _check(path: Path, option: str) -> None:
    parent = _folder(path)
    if path.is_dir():
        raise OutputError(
            f"{option}: {path} is a directory; give a file name such as {path / 'plan.ics'}"
        )
    if not parent.exists():
        raise OutputError(
            f"{option}: folder {parent} does not exist; create it or choose another path"
        )
    if not parent.is_dir():
        raise OutputError(f"{option}: {parent} is not a folder")
    if not _can_write(parent):
        raise OutputError(f"{option}: cannot write in {parent} (permission denied)")
    if path.exists() and not _can_write(path):
        raise OutputError(
            f"{option}: {path} is read-only; choose another path or change its permissions"
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, rename it over
    ``path``, then fsync the folder so the rename itself survives a power cut.

    Raises:
        OutputError: the file cannot be written; ``path`` is left as it was.
    """
    tmp: str | None = None
    try:
        fd, tmp = _temp_file(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions the person gave the existing file.
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
        _sync_folder(_folder(path))
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


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
