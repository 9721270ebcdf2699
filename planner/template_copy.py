"""``planner templates new``: an editable copy of a template, with comments that say what
each part means. The copy holds the same keys and values as its source, so it validates
and generates the same plan; only comments are added (and a shipped template's opening
comment block, written for the planner's own authors, is replaced by one written for
you)."""

from pathlib import Path

from planner.errors import TemplateError
from planner.templates import (
    base_library,
    file_text,
    line_of,
    load_program,
    resolve_program_path,
    same_toml,
    templates_root,
)

# Comments put before the first line of each part of the file.
_PART_NOTES = {
    "[[sources]]": (
        "# Where the doses come from: each [[sources]] names 'authors', 'year', 'title',",
        "# 'where' it was published (journal, book or site), a 'url' or 'doi' if there is",
        "# one, and what it 'supports'. 'planner sources' lists them.",
    ),
    "[warmup]": (
        "# Warm-up and cool-down: minutes, what to do ('activity') and a few light",
        "# exercises, each an inline table with an exercise id and its dose.",
    ),
    "[deload]": ("# A lighter week every 'every' weeks, in plans at least 'min_plan_weeks' long.",),
    "[[phases]]": (
        "# Phases run in order. Each has a name, a goal, its length in 'weeks',",
        "# 'sessions_per_week', 'rpe' (effort 1-10 as [low, high]), 'rest' (seconds",
        "# between sets), 'minutes' per session, then its exercises.",
    ),
    "[[phases.exercises]]": (
        "# One exercise of the phase: 'exercise' is its id, then the starting dose: 'sets'",
        "# and the count it is dosed in ('reps', 'steps' or 'seconds'), optionally 'load'",
        "# (in the plan's units), 'band' (a colour from the ladder) and 'rest'.",
        "# 'progression' holds the rules that move the dose on week by week, and 'pins'",
        "# an exact dose for one week of the phase.",
    ),
    "[[exercises]]": (
        "# Exercises of your own: the keys of 'planner exercises show'; add",
        "# 'replaces = true' to use one instead of the library's exercise with that id.",
    ),
}


_MARK = "# Your copy of the program template"


def _header(source: str, target: Path) -> list[str]:
    return [
        f"{_MARK} '{source}', made with 'planner templates new'.",
        "# Edit it freely; every value below is the original's. Check your changes with",
        f"#   planner validate {target}",
        "# and make a plan from it with",
        f"#   planner generate {target} --start YYYY-MM-DD --days mon,wed,fri",
        "#",
        '# Exercise ids (exercise = "...") come from the exercise library:',
        "# 'planner exercises list' shows them all, 'planner exercises show ID' one in full.",
        "# Your own exercises can go in [[exercises]] tables in this file, in a file named by",
        '# exercise_files = ["my-exercises.toml"] (next to this one), or in your personal',
        "# library, which every template sees. 'planner schema' describes every key.",
        "",
    ]


def _without_header(lines: list[str]) -> list[str]:
    """``lines`` without the header of an earlier copy: a copy of a copy needs only one."""
    kept, skipping = [], False
    for line in lines:
        skipping = skipping or line.startswith(_MARK)
        if skipping:
            skipping = line.strip() != ""  # the blank line that ends the header goes too
            continue
        kept.append(line)
    return kept


def template_copy(source: str, target: Path) -> bytes:
    """The text of an editable copy of ``source`` (a shipped slug or a file) to be written
    at ``target``.

    Raises:
        TemplateError: ``source`` is unknown or does not validate, or the copy would not
            find an exercise file its source names.
    """
    try:
        path = resolve_program_path(source)
    except TemplateError as exc:
        raise TemplateError(f"--from: {exc}") from None
    loaded = load_program(str(path), base_library())
    text = file_text(path)
    lines = text.splitlines()
    body = 0
    # A shipped template opens with notes for the planner's authors; a file of yours keeps
    # every comment it has.
    shipped = path.resolve().parent == (templates_root() / "programs").resolve()
    while shipped and body < len(lines) and (not lines[body].strip() or lines[body][:1] == "#"):
        body += 1
    lines = _without_header(lines[body:])
    out = _header(source, target)
    seen: set[str] = set()
    for line in lines:
        part = line.strip()
        if part in _PART_NOTES and part not in seen:
            seen.add(part)
            note = list(_PART_NOTES[part])
            if out[-len(note) :] != note:  # a copy of a copy has them already
                out.extend(note)
        out.append(line)
    copy = "\n".join(out) + "\n"
    if not same_toml(copy, text):  # a part name inside a long string
        copy = "\n".join(_header(source, target) + text.splitlines()) + "\n"
    _check_exercise_files(loaded.program.exercise_files, path, target)
    return copy.encode()


def _check_exercise_files(names: tuple[str, ...], source: Path, target: Path) -> None:
    """Refuse a copy in another folder that would not find its source's exercise files."""
    for i, name in enumerate(names):
        given = Path(name).expanduser()
        if given.is_absolute() or (target.parent / given).is_file():
            continue
        line = line_of(file_text(source), "exercise_files")
        raise TemplateError(
            f"{source}{f':{line}' if line else ''}: exercise_files[{i}]: the copy in "
            f"{target.parent.resolve()} would not find '{name}'; copy that file there too, "
            f"or make the copy beside {source}"
        )
