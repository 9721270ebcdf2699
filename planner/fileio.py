"""Safe file output: check paths before any work, then replace files atomically.

A crash or a full disk leaves either the old file or the new one, never a fragment.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from planner.errors import OutputError


def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)


def check_writable(path: Path, option: str) -> None:
    """Fail early, before generating anything, if ``path`` cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
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
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over it."""
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
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
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
