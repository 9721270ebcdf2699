"""Plan JSON files, as ``generate --json`` writes them: read one back, or tell one from the
name of a saved plan."""

from pathlib import Path

from planner.errors import PlanFileError
from planner.fileio import read_limited
from planner.models.plan import Plan

# About seven times the largest real plan (520 weeks of seven sessions): a bigger file is
# not one 'generate --json' wrote, and /dev/zero would never end.
MAX_PLAN_BYTES = 32_000_000


def read_plan(path: Path) -> Plan:
    """A plan from a JSON file written by ``generate --json``.

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
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PlanFileError(
            f"{path}: not a plan file written by 'planner generate --json' "
            f"({where}: {first['msg'].removeprefix('Value error, ')})"
        ) from None


def is_plan_file(source: str) -> bool:
    """Whether a command's plan argument names a plan JSON file rather than a saved plan."""
    path = Path(source)
    return path.suffix.lower() == ".json" or path.exists()
