"""Exercises of your own, added to the library: your personal library, a template's
``exercise_files`` and its ``[[exercises]]`` tables, in that order.

An id the library holds already is refused unless the new entry says ``replaces = true``;
then it takes that exercise's place (and its place in the list, which breaks ties between
stand-ins). The whole library is then checked again, so a reference from or to one of your
exercises that does not fit (an unknown id, a loop, a harder "easier" variation) is named
at your line.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import TemplateError
from planner.templates import TemplateProblems, file_text, line_of, read_toml, validate_data

if TYPE_CHECKING:
    from planner.models import Exercise, ExerciseLibrary, ProgramTemplate
    from planner.models.exercise import UserExercise


@dataclass(frozen=True)
class Source:
    """Exercises written in one file: ``key`` is the table name they are written under
    (``exercise`` in an exercise file, ``exercises`` in a program template)."""

    path: Path
    key: str
    exercises: "tuple[UserExercise, ...]"


def read_exercise_file(path: Path, file: Path | None = None) -> Source:
    """Read and validate a file of your own exercises (``[[exercise]]`` tables).

    Raises:
        TemplateError: it cannot be read, is not TOML or does not fit the format; ``file``
            is the file to run ``planner validate`` on to see every problem.
    """
    from planner.models.exercise import ExerciseFile

    exercises = validate_data(ExerciseFile, read_toml(path), path, file).exercise
    return Source(path, "exercise", exercises)


def exercise_file_paths(program: "ProgramTemplate", path: Path) -> list[Path]:
    """The files ``program`` (read from ``path``) names in ``exercise_files``, in order:
    relative names start at the template's folder, ``~`` is the home folder."""
    found = []
    for name in program.exercise_files:
        given = Path(name).expanduser()
        found.append(given if given.is_absolute() else path.parent / given)
    return found


def program_sources(program: "ProgramTemplate", path: Path) -> list[Source]:
    """The exercises ``program`` (read from ``path``) adds: its files, then its own tables.

    Raises:
        TemplateProblems: every file that is missing or does not fit, each named.
    """
    sources, problems = [], []
    for i, found in enumerate(exercise_file_paths(program, path)):
        if not found.is_file():
            line = line_of(file_text(path), "exercise_files")
            problems.append(
                f"{path}{f':{line}' if line else ''}: exercise_files[{i}]: no exercise file "
                f"'{found}'; check the name (a relative path starts at this template's folder)"
            )
            continue
        try:
            sources.append(read_exercise_file(found, path))
        except TemplateProblems as exc:
            problems.extend(exc.lines)
        except TemplateError as exc:  # not TOML, not readable: its own file:line
            problems.append(str(exc))
    if problems:
        raise TemplateProblems(problems, path)
    if program.exercises:
        sources.append(Source(path, "exercises", program.exercises))
    return sources


def add_exercises(base: "ExerciseLibrary", sources: list[Source], file: Path) -> "ExerciseLibrary":
    """``base`` with the exercises of ``sources`` added in order, checked as one library.

    Raises:
        TemplateProblems: every clash and every reference that does not fit, each at the
            line of the exercise of yours it concerns (``file`` is the one to validate).
    """
    from planner.models import ExerciseLibrary
    from planner.models.exercise import library_problems

    order: list[Exercise] = list(base.exercise)
    index = {e.id: i for i, e in enumerate(order)}
    # Where each exercise of yours is written: its source and its place there.
    origin: dict[str, tuple[Source, int]] = {}
    problems: list[str] = []
    for source in sources:
        for k, ex in enumerate(source.exercises):
            if ex.id in index and not ex.replaces:
                first = origin.get(ex.id)
                there = _home(order[index[ex.id]]) if first is None else str(first[0].path)
                problems.append(
                    _at(
                        source,
                        k,
                        "id",
                        f"exercise '{ex.id}' is in {there} already; give "
                        "yours another id, or add 'replaces = true' to use it instead",
                    )
                )
                continue
            if ex.id not in index and ex.replaces:
                problems.append(
                    _at(
                        source,
                        k,
                        "replaces",
                        f"there is no exercise '{ex.id}' to replace; "
                        "remove 'replaces' to add it as a new one",
                    )
                )
                continue
            if "provokes" not in ex.model_fields_set:
                # Stand-ins for a person in pain are chosen by these flags, and the shipped
                # library states them for every exercise: one of yours that left them out
                # would count as safe for every area and be picked first.
                problems.append(
                    _at(
                        source,
                        k,
                        "provokes",
                        'say which pain flags it can aggravate: provokes = ["knee"] (with '
                        'instead = { knee = "..." }), or provokes = [] for none; stand-ins '
                        "for people in pain are chosen by it",
                    )
                )
                continue
            if ex.id in index:
                order[index[ex.id]] = ex.plain()
            else:
                index[ex.id] = len(order)
                order.append(ex.plain())
            origin[ex.id] = (source, k)
    if not problems:
        for ex_id, field, msg in library_problems(tuple(order)):
            mine, key = origin.get(ex_id), field
            if mine is None:
                # A shipped exercise that no longer fits: yours caused it, by linking to it
                # or replacing one it links to with another difficulty.
                mine = _yours_in(index, order, ex_id, origin, msg)
                key = "difficulty" if "loop" not in msg else field
            if mine is None:  # cannot happen while the base library is valid
                problems.append(f"{file}: (top level): {msg}")
            else:
                problems.append(_at(mine[0], mine[1], key, msg))
    if problems:
        raise TemplateProblems(problems, file)
    return ExerciseLibrary(exercise=tuple(order))


def _home(ex: "Exercise") -> str:
    """Where an exercise of the base library comes from, for a message about a clash."""
    from planner.store.paths import exercises_path
    from planner.templates import load_library

    if load_library().by_id().get(ex.id) == ex:
        return "the shipped library"
    return f"your personal library ({exercises_path()})"


def _yours_in(
    index: dict[str, int],
    order: "list[Exercise]",
    ex_id: str,
    origin: "dict[str, tuple[Source, int]]",
    msg: str,
) -> "tuple[Source, int] | None":
    """For a problem in a shipped exercise, the exercise of yours it concerns: one it
    links to, else one the message names (a loop through yours)."""
    ex = order[index[ex_id]]
    for ref in (*ex.easier, *ex.harder, *ex.instead.values()):
        if ref in origin:
            return origin[ref]
    named = (i for i in origin if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", msg))
    first = next(named, None)
    return None if first is None else origin[first]


def _at(source: Source, k: int, key: str, msg: str) -> str:
    """``file:line: key[k].field: msg`` for the ``k``-th exercise of ``source``."""
    ex = source.exercises[k]
    line = _entry_line(file_text(source.path), ex.id, _nth(source, k), key)
    return f"{source.path}{f':{line}' if line else ''}: {source.key}[{k}].{key}: {msg}"


def _nth(source: Source, k: int) -> int:
    """How many exercises before the ``k``-th in ``source`` have its id."""
    return sum(1 for e in source.exercises[:k] if e.id == source.exercises[k].id)


def _entry_line(text: str, ex_id: str, nth: int, key: str) -> int | None:
    """The line of ``key`` in the ``nth`` table with ``id = "ex_id"``, else its id line."""
    lines = text.splitlines()
    ids = re.compile(rf"""(^|[{{,\s])id\s*=\s*["']{re.escape(ex_id)}["']""")
    hits = [n for n, row in enumerate(lines) if ids.search(row)]
    if len(hits) <= nth:
        return None
    start = hits[nth]
    assign = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for n in range(start, len(lines)):
        if n > start and lines[n].lstrip().startswith("["):
            break
        if assign.match(lines[n]):
            return n + 1
    return start + 1


def yours(library: "ExerciseLibrary", shipped: "ExerciseLibrary") -> set[str]:
    """The ids in ``library`` that are not the shipped library's own (added or replaced)."""
    known = shipped.by_id()
    return {e.id for e in library.exercise if known.get(e.id) != e}
