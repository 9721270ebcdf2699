"""Commands about the shipped material: templates, exercises, validating a template file
and the JSON Schemas of the file formats.

Imports only Typer and the standard library at start-up; each command imports what it uses.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.console import command_group, fail, say
from planner.errors import one_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planner.models import ExerciseLibrary

app = command_group("Templates, exercises and file formats.")
templates = command_group("List, inspect and copy the shipped program templates.")
exercises = command_group(
    "List and inspect the exercise library: the shipped one and your personal library."
)
app.add_typer(templates, name="templates")
app.add_typer(exercises, name="exercises")


def _library() -> "ExerciseLibrary":
    from planner.templates import base_library

    return base_library()


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Program template or exercise file (.toml).")],
) -> None:
    """Check a template or exercise file the way 'generate' would, and list every problem."""
    from planner.templates import TemplateProblems

    try:
        say(_validated(file))
    except TemplateProblems as exc:
        for line in exc.lines:
            typer.echo(f"error: {one_line(line)}", err=True)
        raise typer.Exit(1) from None


# Tables fit a terminal of 80 columns: the last column wraps under itself.
_WIDTH = 80


def table(
    headers: tuple[str, ...], rows: "Sequence[tuple[str, ...]]", right: tuple[int, ...] = ()
) -> str:
    """Plain aligned text: a header row, then one row per item, two spaces between columns;
    the columns in ``right`` (numbers) aligned right, the last column wrapped to fit."""
    import textwrap

    widths = [max(len(r[i]) for r in (headers, *rows)) for i in range(len(headers) - 1)]
    indent = sum(widths) + 2 * len(widths)
    room = max(_WIDTH - indent, 20)

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=False))
        ]
        last = textwrap.wrap(row[-1], room, break_on_hyphens=False) or [""]
        first = "  ".join([*cells, last[0]])
        return "\n".join([first, *(" " * indent + more for more in last[1:])])

    return "\n".join(line(r) for r in (headers, *rows))


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _validated(file: Path) -> str:
    """What ``validate`` says about a file that passes."""
    from planner.exercise_sources import add_exercises, read_exercise_file
    from planner.store.paths import exercises_path
    from planner.templates import (
        base_library,
        load_library,
        load_program,
        read_toml,
        shipped_library_path,
    )

    if "exercise" not in read_toml(file):
        program = load_program(str(file), base_library()).program
        said = (
            f"ok: {file}: program '{program.title}', "
            f"{_count(len(program.phases), 'phase')}, {_count(program.weeks, 'week')}"
        )
        # The older one-line 'ref' still reads, but a reader cannot look it up reliably.
        old = [f"sources[{i}]" for i, s in enumerate(program.sources) if s.ref is not None]
        if old:
            said += (
                f"\nnote: {', '.join(old)} {'uses' if len(old) == 1 else 'use'} the older "
                "one-line 'ref'; write "
                "authors, year, title and where (and url or doi) instead, so a reader can "
                "find them"
            )
        return said
    if _same(file, shipped_library_path()):
        library = load_library(file)
        return f"ok: {file}: exercise library with {len(library.exercise)} exercises"
    # Your own exercises are checked together with the library they are added to.
    personal = _same(file, exercises_path())
    source = read_exercise_file(file)
    add_exercises(load_library() if personal else base_library(), [source], file)
    what = "your personal exercise library" if personal else "exercise file"
    count = len(source.exercises)
    return f"ok: {file}: {what} with {count} exercise{'' if count == 1 else 's'}"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


@app.command()
def schema(
    kind: Annotated[
        str,
        typer.Option(help="program, exercises, exercise-file (your own), plan or export."),
    ] = "program",
) -> None:
    """Print the JSON Schema of template files (for editor validation)."""
    import json

    from pydantic import BaseModel

    from planner.models import ExerciseLibrary, Plan, ProgramTemplate
    from planner.models.exercise import ExerciseFile
    from planner.models.export import PlanExport

    models: dict[str, type[BaseModel]] = {
        "program": ProgramTemplate,
        "exercises": ExerciseLibrary,
        "exercise-file": ExerciseFile,
        "plan": Plan,
        "export": PlanExport,
    }
    if kind not in models:
        fail(f"--kind: '{kind}' is not one of {', '.join(models)}")
    typer.echo(json.dumps(models[kind].model_json_schema(), indent=2))


@templates.command("list")
def templates_list() -> None:
    """List the shipped program templates."""
    from planner.templates import load_program, program_slugs

    library = _library()
    rows = []
    for slug in program_slugs():
        program = load_program(slug, library).program
        per_week = "/".join(str(p.sessions_per_week) for p in program.phases)
        rows.append((slug, str(program.weeks), per_week, program.title))
    say(table(("TEMPLATE", "WEEKS", "SESSIONS/WK", "TITLE"), rows, right=(1,)))


@templates.command("show")
def templates_show(
    slug: Annotated[str, typer.Argument(help="Template slug or .toml file.")],
) -> None:
    """Show a template's phases, exercises, dosage and progression rules."""
    from planner.cli.views import program_detail
    from planner.templates import load_program

    loaded = load_program(slug, _library())
    say(program_detail(loaded.slug, loaded.program, loaded.library.by_id()))


@app.command()
def sources(
    template: Annotated[
        str | None,
        typer.Argument(
            metavar="TEMPLATE",
            help="A shipped template name or a .toml file; all shipped ones if left out.",
        ),
    ] = None,
) -> None:
    """List the sources of the templates (one or all).

    Example: planner sources hip-knee
    """
    from planner.cli.views import source_lines
    from planner.templates import load_program, program_slugs

    library = _library()
    slugs = [template] if template is not None else program_slugs()
    blocks = []
    for slug in slugs:
        loaded = load_program(slug, library)
        heading = f"{loaded.program.title} ({loaded.slug})"
        blocks.append("\n".join([heading, *source_lines(loaded.program)]))
    say("\n\n".join(blocks))


@templates.command("new")
def templates_new(
    file: Annotated[Path, typer.Argument(help="The .toml file to write.")],
    source: Annotated[
        str, typer.Option("--from", help="Template to copy: a shipped name or a .toml file.")
    ] = "hip-knee",
    force: Annotated[bool, typer.Option(help="Replace FILE if it exists.")] = False,
) -> None:
    """Write an editable copy of a template, with comments on what each part means."""
    from planner.errors import OutputError
    from planner.fileio import check_writable, write_atomic
    from planner.template_copy import template_copy

    if not force and (file.exists() or file.is_symlink()):
        raise OutputError(
            f"{file}: exists already; give another name, or add --force to replace it"
        )
    check_writable(file, "FILE")
    data = template_copy(source, file)
    write_atomic(file, data)
    say(f"wrote {file}: a copy of '{source}'; check your edits with 'planner validate {file}'")


@exercises.command("list")
def exercises_list(
    equipment: Annotated[
        str | None, typer.Option(help="Only what this kit allows, e.g. none or band,bench.")
    ] = None,
) -> None:
    """List exercises, optionally only those your equipment allows."""
    from planner.cli.params import parse_equipment
    from planner.exercise_sources import yours
    from planner.templates import load_library

    have = None if equipment is None else parse_equipment(equipment)
    allowed = None if have is None else set(have)
    library = _library()
    mine = yours(library, load_library())
    rows = [
        (
            ex.id,
            ex.dose,
            ", ".join(ex.equipment) or "none",
            ex.name + ("  (yours)" if ex.id in mine else ""),
        )
        for ex in library.exercise
        if allowed is None or set(ex.equipment) <= allowed
    ]
    say(table(("ID", "DOSE", "EQUIPMENT", "NAME"), rows))


@exercises.command("show")
def exercises_show(exercise_id: Annotated[str, typer.Argument(help="Exercise id.")]) -> None:
    """Show one exercise: muscles, equipment, cues, variations, pain flags."""
    from planner.cli.views import exercise_detail
    from planner.templates import unknown_exercise

    library = _library().by_id()
    if exercise_id not in library:
        fail(unknown_exercise(exercise_id, library))
    say(exercise_detail(library[exercise_id], library))
