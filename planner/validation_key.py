"""What decides how JSON the planner wrote reads back into its models: the planner's
version, the source of its models (and of what they import) and pydantic-core's version.

A saved row's seal (:mod:`planner.store.trust`) carries it, and a cached template's key
(:mod:`planner.template_cache`) carries it over the template checks' source too: JSON
written under one key is rebuilt without validation only under the same key. The source
is part of it because the version number does not change with every change to a model or
a check.
"""

import functools
import hashlib
from pathlib import Path

from planner.version import __version__

PLANNER = Path(__file__).resolve().parent
# The models and the modules below them that they import (the layers of the pure core).
SOURCES = ("models", "errors.py", "version.py", "zones.py")
# What decides whether a template passes, and what its checks say: the models and the
# checks that go beyond them (references, days, doses, exercise files).
TEMPLATE_SOURCES = (
    *SOURCES,
    "plan",
    "wording",
    "templates.py",
    "template_checks.py",
    "exercise_sources.py",
    "template_cache.py",
    "suggest.py",
    "fileio.py",
)


def key_of(root: Path, sources: tuple[str, ...] = SOURCES) -> str | None:
    """The key for the planner whose package folder is ``root``, over ``sources``; None
    when its source cannot be read (a frozen build): then nothing is trusted and everything
    validates."""
    from pydantic_core import __version__ as core

    digest = hashlib.sha256(f"{__version__}\0{core}\0".encode())
    try:
        for source in sources:
            path = root / source
            files = sorted(path.glob("*.py")) if path.is_dir() else [path]
            for file in files:
                digest.update(f"{file.relative_to(root).as_posix()}\0".encode())
                digest.update(file.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


@functools.cache
def validation_key() -> str | None:
    """:func:`key_of` this planner, worked out once a process."""
    return key_of(PLANNER)


@functools.cache
def template_key() -> str | None:
    """:func:`key_of` this planner over :data:`TEMPLATE_SOURCES`: what a cached template
    was checked by."""
    return key_of(PLANNER, TEMPLATE_SOURCES)
