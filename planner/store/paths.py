"""Where the plan store lives: ``--db``, ``PLANNER_DB`` or the platform's user data folder."""

import os
import sys
from pathlib import Path


def default_path() -> Path:
    """``plans.db`` in the platform's per-user data folder."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "planner" / "plans.db"


def resolve_path(option: Path | None) -> tuple[Path, str]:
    """The store file and where it came from: ``--db``, ``PLANNER_DB`` or the default."""
    if option is not None:
        return option.expanduser(), "--db"
    env = os.environ.get("PLANNER_DB")
    if env:
        return Path(env).expanduser(), "PLANNER_DB"
    return default_path(), "default"
