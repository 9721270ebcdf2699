"""Find, read and validate template files: the only module that reads them.

Errors name the file and, where the text allows it, the line, plus the field path inside
the document, so a person editing a template can go straight to the problem.
"""

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from planner.errors import TemplateError
from planner.fileio import read_limited

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from planner.models import Exercise, ExerciseLibrary, ProgramTemplate
    from planner.models.snapshot import TemplateSnapshot

M = TypeVar("M", bound="BaseModel")

_PACKAGE_DIR = Path(__file__).resolve().parent


def templates_root() -> Path:
    """Return the folder holding ``exercises.toml`` and ``programs/``.

    An installed wheel carries it as ``planner/_templates``; a source checkout (also an
    editable install) has it at the repository root.
    """
    bundled = _PACKAGE_DIR / "_templates"
    return bundled if bundled.is_dir() else _PACKAGE_DIR.parent / "templates"


def program_slugs(root: Path | None = None) -> list[str]:
    """List the shipped program slugs, sorted."""
    folder = (root or templates_root()) / "programs"
    return sorted(p.stem for p in folder.glob("*.toml"))


# The largest template or exercise library read: fifty times the shipped library. A
# device such as /dev/zero would otherwise be read until memory runs out.
MAX_TEMPLATE_BYTES = 1_000_000


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file of at most :data:`MAX_TEMPLATE_BYTES`; syntax errors become
    ``file:line:col: message``."""
    try:
        text = read_limited(path, MAX_TEMPLATE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise TemplateError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TemplateError(f"{path}: is a directory, expected a .toml file") from None
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if where:
            reason = msg[: where.start()].strip()
            raise TemplateError(
                f"{path}:{where[1]}:{where[2]}: {reason}; fix the TOML syntax there"
            ) from None
        raise TemplateError(f"{path}: {msg}") from None


def _line_of(text: str, key: str) -> int | None:
    """Return the line that assigns ``key`` when exactly one line does, else None."""
    pattern = re.compile(rf"^\s*(\[+\s*)?([\w.-]+\.)?{re.escape(key)}\s*(=|\]|\.)", re.M)
    hits = [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]
    return hits[0] if len(hits) == 1 else None


def _describe(exc: "ValidationError", path: Path) -> str:
    """Turn pydantic's report into one line: file[:line]: field.path: what is wrong."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    raw = list(first["loc"])
    # pydantic puts the union tag (``progression[0].band``) into the path; people never
    # wrote that key, so leave it out.
    loc = [
        part
        for i, part in enumerate(raw)
        if not (i >= 2 and raw[i - 2] == "progression" and isinstance(raw[i - 1], int))
    ]
    dotted = ""
    for part in loc:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else part)
    msg = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        msg = "unknown key; remove it or check its spelling"
    elif first["type"] == "missing":
        msg = "required key is missing"
    elif "input" in first and first["type"] != "value_error":
        got = repr(first["input"])
        msg = f"{msg} (got {got if len(got) <= 60 else got[:57] + '...'})"
    key = next((p for p in reversed(first["loc"]) if isinstance(p, str)), None)
    try:
        text = read_limited(path, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
    except OSError:
        text = ""
    line = _line_of(text, key) if key else None
    where = f"{path}:{line}" if line else str(path)
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {dotted or '(top level)'}: {msg}{more}"


def _validate(model: type[M], data: dict[str, Any], path: Path) -> M:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(_describe(exc, path)) from None


@dataclass(frozen=True)
class LoadedProgram:
    """A validated program with the name it goes by and the file it came from."""

    slug: str
    path: Path
    program: "ProgramTemplate"


def load_library(path: Path | None = None) -> "ExerciseLibrary":
    """Read and validate the exercise library (the shipped one by default)."""
    from planner.models import ExerciseLibrary

    path = path or templates_root() / "exercises.toml"
    return _validate(ExerciseLibrary, read_toml(path), path)


def _is_file_name(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or _is(Path(name).exists)


def template_name(name: str) -> str:
    """The name a plan built from ``name`` (a slug or a file) goes by, without reading it."""
    return Path(name).stem if _is_file_name(name) else name


def resolve_program_path(name: str, root: Path | None = None) -> Path:
    """Map a slug or a file path to the template file, or explain what exists."""
    candidate = Path(name)
    if _is_file_name(name):
        return candidate
    path = (root or templates_root()) / "programs" / f"{name}.toml"
    if _is(path.is_file):
        return path
    slugs = program_slugs(root)
    near = difflib.get_close_matches(name, slugs, n=1)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    raise TemplateError(
        f"unknown template '{name}'.{hint} Available: {', '.join(slugs)} (or give a .toml file)"
    )


def _is(check: Callable[[], bool]) -> bool:
    """``check()``, where a name the system cannot look up (too long, say) is no file:
    reading it would fail the same way, and the slug message says what exists."""
    try:
        return check()
    except OSError:
        return False


def load_program(name: str, library: "ExerciseLibrary", root: Path | None = None) -> LoadedProgram:
    """Read, validate and cross-check a program against the exercise library."""
    from planner.models import ProgramTemplate

    path = resolve_program_path(name, root)
    program = _validate(ProgramTemplate, read_toml(path), path)
    check_references(program, library, path)
    return LoadedProgram(slug=path.stem, path=path, program=program)


def load_snapshot(name: str) -> "TemplateSnapshot":
    """Read ``name`` (a shipped slug or a .toml file) and the shipped library as they are
    now, validated and cross-checked, to keep with a saved revision."""
    from planner.models.snapshot import TemplateSnapshot

    library = load_library()
    loaded = load_program(name, library)
    return TemplateSnapshot(template=loaded.slug, program=loaded.program, library=library)


def shipped_snapshot(slug: str) -> "TemplateSnapshot | None":
    """The shipped template ``slug`` as it is now, or None if none by that name can be read.

    Never looks in the working folder: a name that is not shipped stays unknown.
    """
    path = templates_root() / "programs" / f"{slug}.toml"
    if "/" in slug or "\\" in slug or not path.is_file():
        return None
    try:
        return load_snapshot(str(path))
    except TemplateError:
        return None


def unknown_exercise(ex_id: str, known: dict[str, "Exercise"]) -> str:
    near = difflib.get_close_matches(ex_id, list(known), n=1)
    hint = f"; did you mean '{near[0]}'?" if near else "; see 'planner exercises list'"
    return f"unknown exercise id '{ex_id}'{hint}"


def check_references(program: "ProgramTemplate", library: "ExerciseLibrary", path: Path) -> None:
    """Check what one file cannot know alone: exercise ids, dose kinds, bands, variants."""
    from planner.plan.days import dose_problem
    from planner.plan.days import problems as day_problems
    from planner.plan.progression import load_increment

    known = library.by_id()
    blocks = [("warmup", program.warmup.exercises), ("cooldown", program.cooldown.exercises)]
    blocks += [(f"phases[{i}]", p.exercises) for i, p in enumerate(program.phases)]

    def fail(where: str, key: str, value: str, msg: str) -> TemplateError:
        # Read the file again only on failure, to point at the line; valid files pay nothing.
        text = (
            read_limited(path, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
            if path.is_file()
            else ""
        )
        rows = [
            n for n, row in enumerate(text.splitlines(), 1) if f'"{value}"' in row and key in row
        ]
        line = rows[0] if len(rows) == 1 else None
        return TemplateError(f"{path}{f':{line}' if line else ''}: {where}.{key}: {msg}")

    for where, entries in blocks:
        for j, entry in enumerate(entries):
            at = f"{where}.exercises[{j}]"
            ex = known.get(entry.exercise)
            if ex is None:
                raise fail(at, "exercise", entry.exercise, unknown_exercise(entry.exercise, known))
            field = {"reps": "reps", "steps": "steps", "hold": "seconds"}[ex.dose]
            if getattr(entry, field) is None:
                raise fail(
                    at,
                    "exercise",
                    entry.exercise,
                    f"'{ex.id}' is dosed in {ex.dose}; give '{field}' for it",
                )
            bands = [(entry.band, "band")] + [(p.band, "pins.band") for p in entry.pins]
            bands += [(r.band, "band") for r in entry.progression if r.kind == "variant"]
            for band, key in bands:
                if band is not None and band not in program.bands:
                    raise fail(
                        at,
                        key.split(".")[-1],
                        band,
                        f"band '{band}' is not in the ladder ({', '.join(program.bands)})",
                    )
            loads = [entry.load] + [p.load for p in entry.pins]
            step = load_increment(ex, entry, program.units)
            for load in loads:
                if load is not None and abs(load / step - round(load / step)) > 1e-6:
                    raise fail(
                        at,
                        "load",
                        entry.exercise,
                        f"load {load:g} {program.units} is not a multiple of the "
                        f"{step:g} {program.units} increment; round it or set 'increment'",
                    )
            for rule in entry.progression:
                if rule.kind != "variant":
                    continue
                target = rule.to or (ex.harder[0] if ex.harder else None)
                if target is None:
                    raise fail(
                        at,
                        "exercise",
                        entry.exercise,
                        f"variant rule: '{ex.id}' has no harder variation; set 'to'",
                    )
                if target not in known:
                    raise fail(at, "to", target, unknown_exercise(target, known))
                # --- training days (helper "days"): a variant dosed another way states its
                # starting dose; see planner.plan.days.dose_problem.
                wrong = dose_problem(known[target].dose, rule, f"variant '{target}'", ex.dose)
                if wrong:
                    raise fail(at, "to", target, wrong)
            for k, pin in enumerate(entry.pins):
                if pin.exercise is None:
                    continue
                if pin.exercise not in known:
                    raise fail(
                        f"{at}.pins[{k}]",
                        "exercise",
                        pin.exercise,
                        unknown_exercise(pin.exercise, known),
                    )
                wrong = dose_problem(known[pin.exercise].dose, pin, f"'{pin.exercise}'", None)
                if wrong:
                    raise fail(f"{at}.pins[{k}]", "exercise", pin.exercise, wrong)
    for problem in day_problems(program):
        text = read_limited(path, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
        line = problem.line(text)
        at = f"{path}{f':{line}' if line else ''}"
        raise TemplateError(f"{at}: {problem.where}.{problem.key}: {problem.message}")
    # --- end of training days block
