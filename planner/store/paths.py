"""Where the plan store lives (``--db``, ``PLANNER_DB`` or the platform's user data folder)
and the personal exercise library beside it."""

import os
import sys
from pathlib import Path

from planner.errors import StoreError, shown


def default_path() -> Path:
    """``plans.db`` in the platform's per-user data folder."""
    return data_folder() / "plans.db"


def exercises_path() -> Path:
    """Your personal exercise library: ``PLANNER_EXERCISES`` if set, else ``exercises.toml``
    beside the default plan store (it is yours, like the plans, and outlives reinstalls).

    Raises:
        StoreError: ``PLANNER_EXERCISES`` names a home folder that does not exist.
    """
    env = os.environ.get("PLANNER_EXERCISES")
    if env:
        return _expanded(Path(env), "PLANNER_EXERCISES")
    return data_folder() / "exercises.toml"


def data_folder() -> Path:
    """The planner's folder in the platform's per-user data folder."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "planner"


def resolve_path(option: Path | None) -> tuple[Path, str]:
    """The store file and where it came from: ``--db``, ``PLANNER_DB`` or the default."""
    if option is not None:
        return _expanded(option, "--db"), "--db"
    env = os.environ.get("PLANNER_DB")
    if env:
        return _expanded(Path(env), "PLANNER_DB"), "PLANNER_DB"
    return default_path(), "default"


def _expanded(path: Path, source: str) -> Path:
    """``path`` with ``~`` or ``~user`` expanded.

    Raises:
        StoreError: the home folder it names does not exist (``~nosuchuser``); the message
            names ``source``, the setting the path came from.
    """
    try:
        return path.expanduser()
    except RuntimeError:
        raise StoreError(
            f"{source}: '{shown(str(path), 60)}' names a home folder that does not exist; "
            "give a full path"
        ) from None
