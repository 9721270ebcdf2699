"""Plan JSON files, as ``generate --json`` and ``export --format json`` write them: read
one back, or tell one from the name of a saved plan."""

import contextlib
from pathlib import Path

from planner.errors import PlanFileError, StoreError
from planner.fileio import read_limited
from planner.models.plan import Plan

# About seven times the largest real plan (520 weeks of seven sessions): a bigger file is
# not one 'generate --json' wrote, and /dev/zero would never end. An export with its log
# is allowed the same again for the log.
MAX_PLAN_BYTES = 64_000_000


def read_plan(path: Path) -> Plan:
    """A plan from a JSON file written by ``generate --json``, or the plan inside an export
    envelope written by ``export --format json`` (with its safety state on that day).

    Raises:
        PlanFileError: the file cannot be read or is not such a plan.
    """
    from pydantic import ValidationError

    try:
        text = read_limited(path, MAX_PLAN_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PlanFileError(f"{path}: cannot read the plan ({reason})") from None
    try:
        if _is_envelope(text):
            from planner.models.export import PlanExport

            return PlanExport.model_validate_json(text).plan
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PlanFileError(
            f"{path}: not a plan file written by 'planner generate --json' or "
            f"'planner export --format json' ({where}: "
            f"{first['msg'].removeprefix('Value error, ')})"
        ) from None


def _is_envelope(text: str) -> bool:
    """Whether ``text`` is an export envelope (its ``format`` says so) rather than a plan;
    JSON that cannot be parsed is left to the plan model to describe."""
    import json

    from planner.models.export import EXPORT_FORMAT

    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("format") == EXPORT_FORMAT


def is_plan_file(source: str, db: Path | None = None) -> bool:
    """Whether a command's plan argument names a plan JSON file rather than a saved plan.

    A saved plan of that name wins over a file or folder of the same name in the working
    folder (``mine`` with a folder ``mine/`` beside it); otherwise a name ending in
    ``.json``, or naming something that exists, is a plan file. A folder never is.
    """
    path = Path(source)
    # Anything there but a folder: a device or a pipe is refused when it is read.
    if not (path.suffix.lower() == ".json" or (path.exists() and not path.is_dir())):
        return False
    return not is_saved(source, db)


def is_saved(name: str, db: Path | None) -> bool:
    """Whether the store at ``db`` holds a plan called ``name``; False when there is no
    store (nothing is created), or it cannot be opened (the command that needs it says
    why when it opens it)."""
    from planner.service.stores import store_at

    with contextlib.suppress(StoreError):
        store = store_at(db, create=False)
        if store is not None:
            with store:
                return store.plan_id(name) is not None
    return False
