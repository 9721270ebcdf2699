"""Find, read and validate template files: the only module that reads them.

Errors name the file and, where the text allows it, the line, plus the field path inside
the document, so a person editing a template can go straight to the problem.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from planner.errors import TemplateError
from planner.fileio import read_limited
from planner.template_cache import note_read

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

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
    # Imported here: a command whose templates come from the cache never parses TOML.
    import tomllib

    try:
        raw = read_limited(path, MAX_TEMPLATE_BYTES)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise TemplateError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TemplateError(f"{path}: is a directory, expected a .toml file") from None
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if where:
            reason = msg[: where.start()].strip()
            raise TemplateError(
                f"{path}:{where[1]}:{where[2]}: {reason}; fix the TOML syntax there"
            ) from None
        raise TemplateError(f"{path}: {msg}") from None
    # The bytes just parsed, for a cached result built from them (see template_cache).
    note_read(path, raw)
    return data


def same_toml(a: str, b: str) -> bool:
    """Whether two TOML texts hold the same keys and values (comments aside)."""
    import tomllib

    return tomllib.loads(a) == tomllib.loads(b)


def line_of(text: str, key: str) -> int | None:
    """Return the line that assigns ``key`` when exactly one line does, else None."""
    pattern = re.compile(rf"^\s*(\[+\s*)?([\w.-]+\.)?{re.escape(key)}\s*(=|\]|\.)", re.M)
    hits = [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]
    return hits[0] if len(hits) == 1 else None


_HEADER = re.compile(r"^\s*\[\[?\s*[\w.\"'-]+\s*\]\]?\s*(#.*)?$")


def line_at(text: str, loc: "list[str | int]") -> int | None:
    """The line of the field at ``loc`` (keys and array indexes, as pydantic gives them).

    Arrays of tables (``[[phases]]``, ``[[phases.exercises]]``) are followed header by
    header, then the first key left is looked up inside its table (an inline array such
    as ``pins = [...]`` is found by its key); without a table on the way, the key alone
    (:func:`line_of`). A problem with a whole table points at its header.
    """
    lines = text.splitlines()
    start, end, table, prefix, i = 0, len(lines), None, "", 0
    while i + 1 < len(loc) and isinstance(loc[i], str):
        name = f"{prefix}{loc[i]}"
        index = loc[i + 1]
        if isinstance(index, str):  # a plain table such as [warmup]
            header = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
            hits = [n for n in range(start, end) if header.match(lines[n])]
            if len(hits) != 1:
                break
            start = table = hits[0]
            prefix, i = f"{name}.", i + 1
            continue
        header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        hits = [n for n in range(start, end) if header.match(lines[n])]
        if index >= len(hits):
            break
        start = table = hits[index]
        end = hits[index + 1] if index + 1 < len(hits) else end
        prefix, i = f"{name}.", i + 2
    keys = [p for p in loc[i:] if isinstance(p, str)]
    if table is None:
        if not keys:
            return None
        # A top-level key is written before the first table: a source's 'title' further
        # down is not the program's.
        first = next((n for n in range(len(lines)) if _HEADER.match(lines[n])), len(lines))
        top = line_of("\n".join(lines[:first]), keys[-1]) if len(keys) == 1 else None
        return top or line_of(text, keys[-1])
    if not keys:
        return table + 1
    assign = re.compile(rf"^\s*{re.escape(keys[0])}\s*=")
    for n in range(table + 1, end):
        if lines[n].lstrip().startswith("["):
            break  # the table's own keys end at the next header
        if assign.match(lines[n]):
            return n + 1
    return table + 1


class TemplateProblems(TemplateError):
    """Every problem found while reading one template, one ``file:line: field: what`` line
    each. As a message it is the first line and a count of the others: ``generate`` keeps
    to one error line, and ``planner validate`` prints them all (:attr:`lines`)."""

    def __init__(self, lines: "list[str] | tuple[str, ...]", file: Path) -> None:
        self.lines = tuple(lines)
        self.file = file
        rest = len(self.lines) - 1
        more = f" (+{rest} more; run 'planner validate {file}' to see all)" if rest else ""
        super().__init__(self.lines[0] + more)


def file_text(path: Path) -> str:
    """The text of ``path`` to point at lines in, or "" if it cannot be read now."""
    try:
        return read_limited(path, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def _describe(exc: "ValidationError", path: Path) -> list[str]:
    """Pydantic's report as lines: file[:line]: field.path: what is wrong."""
    text = file_text(path)
    errors = exc.errors(include_url=False)
    # A list whose only items failed is also "too short" (phases = [one bad phase]): that
    # follows from the item's own error, which says what to fix, so it is left out.
    inner = [e["loc"] for e in errors]
    errors = [
        e
        for e in errors
        if not (
            e["type"] == "too_short"
            and any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == e["loc"] for o in inner)
        )
    ]
    # A value that fits none of a union's types gets one error per type; one line per
    # field is enough, the first type's (the same field path once union tags are left out).
    seen: set[tuple[str | int, ...]] = set()
    lines = []
    for error in errors:
        field = tuple(p for p in error["loc"] if not _union_tag(p))
        if field not in seen:
            seen.add(field)
            lines.append(_describe_one(error, path, text))
    return lines


# What pydantic names the members of a union in an error's path: type names and tags such
# as ``constrained-int`` or ``literal['X']``, never a key of ours (lower_case words).
_TYPE_TAGS = frozenset({"int", "str", "float", "bool", "none", "dict", "list", "tuple"})


def _union_tag(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in _TYPE_TAGS or re.fullmatch(r"[a-z_][a-z0-9_]*", part) is None
    )


def _describe_one(error: "ErrorDetails", path: Path, text: str) -> str:
    raw = list(error["loc"])
    # pydantic puts the union tag (``progression[0].band``) into the path; people never
    # wrote that key, so leave it out.
    loc = [
        part
        for i, part in enumerate(raw)
        if not (i >= 2 and raw[i - 2] == "progression" and isinstance(raw[i - 1], int))
        and not _union_tag(part)
    ]
    dotted = ""
    for part in loc:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else part)
    msg = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        msg = "unknown key; remove it or check its spelling"
    elif error["type"] == "missing":
        msg = "required key is missing"
    elif "input" in error and error["type"] != "value_error":
        got = repr(error["input"])
        msg = f"{msg} (got {got if len(got) <= 60 else got[:57] + '...'})"
    line = line_at(text, loc)
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {dotted or '(top level)'}: {msg}"


def validate_data(model: type[M], data: dict[str, Any], path: Path, file: Path | None = None) -> M:
    """``data`` as ``model``; every problem is reported (``file``: what to validate)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise TemplateProblems(_describe(exc, path), file or path) from None


@dataclass(frozen=True)
class LoadedProgram:
    """A validated program with the name it goes by, the file it came from and the
    exercise library it was checked against (with the exercises it adds)."""

    slug: str
    path: Path
    program: "ProgramTemplate"
    library: "ExerciseLibrary"


def shipped_library_path() -> Path:
    """The exercise library that comes with the planner."""
    return templates_root() / "exercises.toml"


def load_library(path: Path | None = None) -> "ExerciseLibrary":
    """Read and validate an exercise library on its own (the shipped one by default).

    A library read and validated before comes from the user cache while its file is
    unchanged (see :mod:`planner.template_cache`).
    """
    from planner.models import ExerciseLibrary
    from planner.template_cache import library

    where = path or shipped_library_path()
    return library(where, lambda: validate_data(ExerciseLibrary, read_toml(where), where))


def base_library() -> "ExerciseLibrary":
    """The shipped library with your personal library (see :func:`exercises_path`) added,
    if you have one: what every template is checked against.

    Costs one look at the folder when there is no personal library.
    """
    from planner.store.paths import exercises_path
    from planner.template_cache import base

    shipped = load_library()
    personal = exercises_path()
    if not _is(personal.is_file):
        if os.environ.get("PLANNER_EXERCISES"):  # asked for by name: say it is missing
            raise TemplateError(
                f"PLANNER_EXERCISES: no exercise file '{personal}'; give the path of your "
                "exercise library, or unset it"
            )
        return shipped

    def build() -> "ExerciseLibrary":
        from planner.exercise_sources import add_exercises, read_exercise_file

        return add_exercises(shipped, [read_exercise_file(personal)], personal)

    return base(shipped, personal, build)


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
    import difflib  # only on the way to an error message

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
    """Read, validate and cross-check a program against ``library`` plus the exercises the
    program brings (its ``exercise_files``, then its own ``[[exercises]]``).

    Raises:
        TemplateProblems: every problem found, in the order of the stages that found them.
        TemplateError: the file cannot be read or is not TOML.
    """
    from planner.template_cache import program as cached_program

    path = resolve_program_path(name, root)

    def build() -> "tuple[ProgramTemplate, ExerciseLibrary]":
        from planner.exercise_sources import add_exercises, program_sources
        from planner.models import ProgramTemplate
        from planner.template_checks import check_references

        program = validate_data(ProgramTemplate, read_toml(path), path)
        checked = library
        if program.exercises or program.exercise_files:
            checked = add_exercises(library, program_sources(program, path), path)
        check_references(program, checked, path)
        return program, checked

    # A program read and checked before against the same library comes from the user
    # cache while none of its files has changed (see planner.template_cache).
    program, checked = cached_program(path, library, build, _exercise_files)
    return LoadedProgram(slug=path.stem, path=path, program=program, library=checked)


def _exercise_files(program: "ProgramTemplate", path: Path) -> list[Path]:
    """Where the exercise files ``program`` (read from ``path``) names are now."""
    if not program.exercise_files:
        return []
    from planner.exercise_sources import exercise_file_paths

    return exercise_file_paths(program, path)


def load_snapshot(name: str, library: "ExerciseLibrary | None" = None) -> "TemplateSnapshot":
    """Read ``name`` (a shipped slug or a .toml file) and the exercise library (by default
    the shipped one with your personal library) as they are now, validated and
    cross-checked, to keep with a saved revision: the library kept holds every exercise
    the plan may use, yours included, so the plan rebuilds without your files."""
    from planner.models.snapshot import TemplateSnapshot

    loaded = load_program(name, library or base_library())
    return TemplateSnapshot(template=loaded.slug, program=loaded.program, library=loaded.library)


def shipped_snapshot(slug: str) -> "TemplateSnapshot | None":
    """The shipped template ``slug`` as it is now, or None if none by that name can be read.

    Never looks in the working folder: a name that is not shipped stays unknown.
    """
    path = templates_root() / "programs" / f"{slug}.toml"
    if "/" in slug or "\\" in slug or not path.is_file():
        return None
    try:
        return load_snapshot(str(path), load_library())
    except TemplateError:
        return None


def unknown_exercise(ex_id: str, known: dict[str, "Exercise"]) -> str:
    """What to say about an exercise id the library does not hold, with the nearest one."""
    import difflib  # only on the way to an error message

    near = difflib.get_close_matches(ex_id, list(known), n=1)
    hint = f"; did you mean '{near[0]}'?" if near else "; see 'planner exercises list'"
    return f"unknown exercise id '{ex_id}'{hint}"
